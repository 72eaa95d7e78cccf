// The app shell: first-run setup or sign-in, then the signed-in pages with their navigation.
import { useEffect, useState } from "hono/jsx/dom";
import { api, ApiFailure, onSignedOut } from "./api";
import { languageFor, setLanguage, t } from "./i18n";
import { onLiveState, startLive, stopLive } from "./live";
import type { SocketState } from "./socket";
import { Notices, notifyError } from "./notices";
import { ContactPage } from "./pages/ContactPage";
import { ContactsPage } from "./pages/ContactsPage";
import { InboxPage } from "./pages/InboxPage";
import { LoginPage, SetupPage } from "./pages/Welcome";
import { SettingsPage } from "./pages/SettingsPage";
import { SmsPage } from "./pages/SmsPage";
import { match, navigate, useLocation } from "./router";
import { SessionContext } from "./session";
import { useSmsAccount, useSmsFeed } from "./sms";
import { forgetTeammates } from "./teammates";
import type { User } from "./types";

type Boot = { state: "loading" } | { state: "setup" } | { state: "signed-out" } | { state: "signed-in"; user: User } | { state: "failed"; message: string };

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: "loading" });
  const { path } = useLocation();

  useEffect(() => {
    (async () => {
      try {
        const { needed } = await api<{ needed: boolean }>("GET", "/setup");
        if (needed) {
          await setLanguage(languageFor(null));
          return setBoot({ state: "setup" });
        }
        const user = await api<User>("GET", "/me");
        await setLanguage(languageFor(user.locale));
        setBoot({ state: "signed-in", user });
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 401) {
          await setLanguage(languageFor(null));
          setBoot({ state: "signed-out" });
        } else setBoot({ state: "failed", message: error instanceof Error ? error.message : "Parley did not start." });
      }
    })();
    return onSignedOut(() => setBoot({ state: "signed-out" }));
  }, []);

  const signedIn = boot.state === "signed-in";
  useEffect(() => {
    if (!signedIn) return;
    startLive();
    return () => {
      stopLive();
      forgetTeammates();
    };
  }, [signedIn]);

  if (boot.state === "loading") return <p class="boot">{t("common.loading")}</p>;
  if (boot.state === "failed")
    return (
      <p class="boot" role="alert">
        {boot.message}
      </p>
    );
  // The agent's own language, which may not be the browser's the sign-in page was shown in.
  const enter = async (user: User) => {
    await setLanguage(languageFor(user.locale));
    setBoot({ state: "signed-in", user });
  };
  if (boot.state === "setup") return <SetupPage onDone={enter} />;
  if (boot.state === "signed-out") return <LoginPage onDone={enter} />;

  const user = boot.user;
  return (
    <SessionContext.Provider value={user}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <Header user={user} path={path} onSignOut={() => setBoot({ state: "signed-out" })} />
      <main id="main" tabIndex={-1}>
        <Page path={path} user={user} />
      </main>
      <Notices />
    </SessionContext.Provider>
  );
}

function Page({ path, user }: { path: string; user: User }) {
  if (path === "/" || path === "/login" || path === "/setup") return <Redirect to="/inbox" />;
  let params: Record<string, string> | null;
  if ((params = match("/inbox", path))) return <InboxPage selectedId={null} />;
  if ((params = match("/inbox/:id", path))) return <InboxPage selectedId={params.id!} />;
  if (path === "/sms" || path.startsWith("/sms/")) {
    if (user.role !== "admin") return <p class="empty">SMS is for admins. Ask an admin of this workspace.</p>;
    if (match("/sms", path)) return <SmsPage selected={null} />;
    if ((params = match("/sms/:id", path))) return <SmsPage selected={params.id!} />;
  }
  if ((params = match("/contacts", path))) return <ContactsPage />;
  if ((params = match("/contacts/:id", path))) return <ContactPage id={params.id!} />;
  if (path.startsWith("/settings")) {
    if (user.role !== "admin") return <p class="empty">Settings are for admins. Ask an admin of this workspace.</p>;
    return <SettingsPage tab={path.split("/")[2] || "chat-form"} />;
  }
  return (
    <p class="empty">
      Nothing here. <a href="/inbox">Go to the inbox</a>.
    </p>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Header({ user, path, onSignOut }: { user: User; path: string; onSignOut: () => void }) {
  const [live, setLive] = useState<SocketState>("connecting");
  useEffect(() => onLiveState(setLive), []);
  const admin = user.role === "admin";
  useSmsFeed(admin);
  const sms = useSmsAccount();
  const links: { href: string; label: string; unread?: number }[] = [
    { href: "/inbox", label: "Inbox" },
    ...(admin ? [{ href: "/sms", label: "SMS", unread: sms?.unread ?? 0 }] : []),
    { href: "/contacts", label: "Contacts" },
    ...(admin ? [{ href: "/settings", label: "Settings" }] : []),
  ];
  const signOut = async () => {
    try {
      await api("POST", "/auth/logout");
      navigate("/login", { replace: true });
      onSignOut();
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <header class="top">
      <a class="brand" href="/inbox">
        Parley
      </a>
      <nav aria-label="Main">
        {links.map((l) => (
          <a key={l.href} href={l.href} aria-current={path.startsWith(l.href) ? "page" : undefined} aria-label={l.unread ? `${l.label}, ${l.unread} unread` : undefined}>
            {l.label}
            {l.unread ? (
              <span class="badge" aria-hidden="true">
                {l.unread}
              </span>
            ) : null}
          </a>
        ))}
      </nav>
      <span class={`live-state ${live}`} role="status" title="Live updates">
        {live === "live" ? "Live" : live === "connecting" ? "Connecting…" : "Reconnecting…"}
      </span>
      <span class="who" title={user.email}>
        {user.name}
      </span>
      <button type="button" class="link" onClick={signOut}>
        Sign out
      </button>
    </header>
  );
}
