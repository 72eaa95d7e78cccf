// The app shell: first-run setup or sign-in, then the signed-in pages with their navigation.
import { useEffect, useState } from "hono/jsx/dom";
import { api, ApiFailure, onSignedOut } from "./api";
import { formatNumber, languageFor, setLanguage, t, tn } from "./i18n";
import { onLiveState, startLive, stopLive } from "./live";
import type { SocketState } from "./socket";
import { Notices, notifyError } from "./notices";
import { ContactPage } from "./pages/ContactPage";
import { ContactsPage } from "./pages/ContactsPage";
import { InboxPage } from "./pages/InboxPage";
import { ProfilePage } from "./pages/ProfilePage";
import { LoginPage, SetupPage } from "./pages/Welcome";
import { SettingsPage } from "./pages/SettingsPage";
import { SmsPage } from "./pages/SmsPage";
import { match, navigate, useLocation } from "./router";
import { SessionContext } from "./session";
import { useSmsAccount, useSmsFeed } from "./sms";
import { forgetTeammates } from "./teammates";
import type { User } from "./types";

type Boot = { state: "starting" } | { state: "loading" } | { state: "setup" } | { state: "signed-out" } | { state: "signed-in"; user: User } | { state: "failed"; message: string };

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: "starting" });
  const { path } = useLocation();
  // Before sign-in nobody is known: the browser's language, for the setup and sign-in pages.
  const showSignIn = async () => {
    await setLanguage(languageFor(null));
    setBoot({ state: "signed-out" });
  };

  useEffect(() => {
    (async () => {
      try {
        await setLanguage(languageFor(null));
        setBoot({ state: "loading" });
        const { needed } = await api<{ needed: boolean }>("GET", "/setup");
        if (needed) return setBoot({ state: "setup" });
        const user = await api<User>("GET", "/me");
        await setLanguage(languageFor(user.locale));
        setBoot({ state: "signed-in", user });
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 401) setBoot({ state: "signed-out" });
        else setBoot({ state: "failed", message: error instanceof Error ? error.message : t("common.didNotStart") });
      }
    })();
    return onSignedOut(showSignIn);
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

  // No words until the language is known, so that none flashes by in another.
  if (boot.state === "starting") return <p class="boot" />;
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
        {t("common.skipToContent")}
      </a>
      <Header user={user} path={path} onSignOut={showSignIn} />
      <main id="main" tabIndex={-1}>
        <Page path={path} user={user} onProfile={(next) => setBoot({ state: "signed-in", user: next })} />
      </main>
      <Notices />
    </SessionContext.Provider>
  );
}

function Page({ path, user, onProfile }: { path: string; user: User; onProfile: (user: User) => void }) {
  if (path === "/" || path === "/login" || path === "/setup") return <Redirect to="/inbox" />;
  let params: Record<string, string> | null;
  if ((params = match("/inbox", path))) return <InboxPage selectedId={null} />;
  if ((params = match("/inbox/:id", path))) return <InboxPage selectedId={params.id!} />;
  if (path === "/sms" || path.startsWith("/sms/")) {
    if (user.role !== "admin") return <p class="empty">{t("common.smsForAdmins")}</p>;
    if (match("/sms", path)) return <SmsPage selected={null} />;
    if ((params = match("/sms/:id", path))) return <SmsPage selected={params.id!} />;
  }
  if ((params = match("/contacts", path))) return <ContactsPage />;
  if ((params = match("/contacts/:id", path))) return <ContactPage id={params.id!} />;
  if (match("/profile", path)) return <ProfilePage onSaved={onProfile} />;
  if (path.startsWith("/settings")) {
    if (user.role !== "admin") return <p class="empty">{t("common.settingsForAdmins")}</p>;
    return <SettingsPage tab={path.split("/")[2] || "chat-form"} />;
  }
  return (
    <p class="empty">
      {t("common.nothingHere")} <a href="/inbox">{t("common.goToInbox")}</a>.
    </p>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

// Offline is said as a reconnection: the socket keeps retrying by itself.
const LIVE_WORDS = { live: "common.live", connecting: "common.connecting", offline: "common.reconnecting" } as const satisfies Record<SocketState, string>;

function Header({ user, path, onSignOut }: { user: User; path: string; onSignOut: () => void }) {
  const [live, setLive] = useState<SocketState>("connecting");
  useEffect(() => onLiveState(setLive), []);
  const admin = user.role === "admin";
  useSmsFeed(admin);
  const sms = useSmsAccount();
  const links: { href: string; label: string; unread?: number }[] = [
    { href: "/inbox", label: t("common.navInbox") },
    ...(admin ? [{ href: "/sms", label: t("common.navSms"), unread: sms?.unread ?? 0 }] : []),
    { href: "/contacts", label: t("common.navContacts") },
    ...(admin ? [{ href: "/settings", label: t("common.navSettings") }] : []),
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
      <nav aria-label={t("common.mainNavigation")}>
        {links.map((l) => (
          <a key={l.href} href={l.href} aria-current={path.startsWith(l.href) ? "page" : undefined} aria-label={l.unread ? tn("common.navUnread", l.unread, { label: l.label }) : undefined}>
            {l.label}
            {/* The space keeps the count a word of its own in the link's text, as it is in its name ("SMS, 1 unread"). */}
            {l.unread ? (
              <>
                {" "}
                <span class="badge" aria-hidden="true">
                  {formatNumber(l.unread)}
                </span>
              </>
            ) : null}
          </a>
        ))}
      </nav>
      <span class={`live-state ${live}`} role="status" title={t("common.liveUpdates")}>
        {t(LIVE_WORDS[live])}
      </span>
      <a class="who" href="/profile" title={user.email} aria-label={t("common.profileLink", { name: user.name })} aria-current={path === "/profile" ? "page" : undefined}>
        <span class="who-name">{user.name}</span>
        <span class="who-initial" aria-hidden="true">
          {user.name.trim().charAt(0).toUpperCase()}
        </span>
      </a>
      <button type="button" class="link" onClick={signOut}>
        {t("common.signOut")}
      </button>
    </header>
  );
}
