// The SMS inbox, for admins: the workspace's SMS conversations (newest first, searchable) beside
// the open one, the credit balance with a top-up, and a new SMS to any number.
import { useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, formValues } from "../components";
import { formatNumber, t, tn } from "../i18n";
import { ConversationList } from "../inbox/ConversationList";
import { ConversationView, type ListPlace } from "../inbox/ConversationView";
import { sendFailure } from "../inbox/refusals";
import { SmsMeter, smsRefusal, smsSize } from "../inbox/SmsMeter";
import { notify } from "../notices";
import { navigate } from "../router";
import { setSmsCredits, useSmsAccount } from "../sms";
import type { Message } from "../types";

const smsPlace = (): ListPlace => ({ path: "/sms", label: "SMS", back: t("inbox.backToSmsInbox") });

/** `selected` is a conversation's id, "new" for the New SMS form, or null. */
export function SmsPage({ selected }: { selected: string | null }) {
  return (
    <div class={`inbox sms-inbox ${selected ? "has-selection" : ""}`}>
      <h1 class="sr">SMS</h1>
      <div class="side">
        <SmsAccountPanel />
        <ConversationList selectedId={selected} path="/sms" channel="sms" defaultStatus="all" searchPlaceholder={t("inbox.smsSearchPlaceholder")} assigneeFilter={false} />
      </div>
      {selected === "new" ? (
        <NewSms />
      ) : selected ? (
        <ConversationView key={selected} id={selected} from={smsPlace()} />
      ) : (
        <section class="placeholder" aria-label={t("inbox.conversation")}>
          <p>{t("inbox.pickSmsConversation")}</p>
        </section>
      )}
    </div>
  );
}

/** The balance, the number texts come from, a top-up and the way to a new SMS. */
function SmsAccountPanel() {
  const account = useSmsAccount();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const topUp = async (event: Event) => {
    const form = event.currentTarget as HTMLFormElement;
    const add = Number(formValues(event).add);
    if (!Number.isInteger(add) || add < 1) return setError(t("inbox.creditsWholeNumber"));
    setBusy(true);
    setError(null);
    try {
      const { credits } = await api<{ credits: number }>("POST", "/sms/credits", { add });
      setSmsCredits(credits);
      form.reset();
      form.closest("details")?.removeAttribute("open");
      notify(tn("inbox.creditsAdded", add, { left: formatNumber(credits) }));
    } catch (e) {
      setError(e instanceof Error ? e.message : t("inbox.creditsNotAdded"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="sms-account" aria-label={t("inbox.smsAccount")}>
      <div class="balance">
        <p>
          <span class="muted">{t("inbox.credits")}</span> <strong class="credits-left">{account ? formatNumber(account.credits) : "…"}</strong>
        </p>
        <a class="button" href="/sms/new">
          {t("inbox.newSms")}
        </a>
      </div>
      {account ? (
        account.fromNumber ? (
          <p class="from muted">
            {t("inbox.textsComeFrom")} <strong>{account.fromNumber}</strong>
            {t("inbox.creditPerMessage")}
          </p>
        ) : (
          <p class="from warn">{t("inbox.smsNotConnected")}</p>
        )
      ) : null}
      <details class="top-up">
        <summary>{t("inbox.topUp")}</summary>
        <form class="inline-form" onSubmit={topUp} aria-label={t("inbox.topUpCredits")}>
          <label>
            {t("inbox.creditsToAdd")}
            <input name="add" type="number" min={1} step={1} required inputMode="numeric" />
          </label>
          <button type="submit" disabled={busy}>
            {t("inbox.addCredits")}
          </button>
          <FormError message={error} />
        </form>
      </details>
    </section>
  );
}

/** A new SMS (a campaign text) to any number; the conversation it lands in opens once it is sent. */
function NewSms() {
  const account = useSmsAccount();
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const size = smsSize(body);
  const refusal = smsRefusal(size);

  const send = async (event: Event) => {
    const { to, name } = formValues(event);
    if (!body.trim() || refusal || busy) return;
    setBusy(true);
    setError(null);
    try {
      const message = await api<Message>("POST", "/sms/messages", { to: to?.trim(), body, kind: "campaign", ...(name?.trim() ? { name: name.trim() } : {}) });
      notify(message.status === "failed" ? t("inbox.smsNotDelivered") : t("inbox.smsSent"));
      navigate(`/sms/${message.conversationId}`);
    } catch (e) {
      const failed = sendFailure(e, size.segments);
      setError(failed instanceof Error ? failed.message : t("inbox.smsNotSent"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="conversation new-sms" aria-labelledby="new-sms-title">
      <header class="conversation-head">
        <a class="back" href={`/sms${location.search}`}>
          ← SMS
        </a>
        <div class="heading">
          <h2 id="new-sms-title">{t("inbox.newSms")}</h2>
        </div>
      </header>
      <form class="stack narrow new-sms-form" onSubmit={send} aria-label={t("inbox.newSms")}>
        <label>
          {t("inbox.smsTo")}
          <input name="to" type="tel" required autocomplete="off" placeholder="+1 415 555 0100" maxLength={40} />
        </label>
        <label>
          <span>
            {t("inbox.campaignName")} <span class="muted">{t("inbox.optional")}</span>
          </span>
          <input name="name" autocomplete="off" maxLength={200} />
        </label>
        <label>
          {t("inbox.smsMessage")}
          <textarea name="body" rows={6} value={body} aria-describedby="new-sms-meter" onInput={(e: Event) => setBody((e.target as HTMLTextAreaElement).value)} />
        </label>
        <SmsMeter id="new-sms-meter" size={size} credits={account?.credits ?? null} />
        <FormError message={error} />
        <div class="row-actions">
          <button type="submit" disabled={busy || !body.trim() || refusal !== null}>
            {t("inbox.sendSms")}
          </button>
          <span class="muted">{t("inbox.sentAsCampaign")}</span>
        </div>
      </form>
    </section>
  );
}
