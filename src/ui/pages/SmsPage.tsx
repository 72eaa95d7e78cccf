// The SMS inbox, for admins: the workspace's SMS conversations (newest first, searchable) beside
// the open one, the credit balance with a top-up, and a new SMS to any number.
import { useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, formValues } from "../components";
import { ConversationList } from "../inbox/ConversationList";
import { ConversationView, type ListPlace } from "../inbox/ConversationView";
import { SmsMeter, smsRefusal, smsSize } from "../inbox/SmsMeter";
import { notify } from "../notices";
import { navigate } from "../router";
import { setSmsCredits, useSmsAccount } from "../sms";
import type { Message } from "../types";

const SMS: ListPlace = { path: "/sms", label: "SMS", name: "the SMS inbox" };
const number = (n: number) => n.toLocaleString("en-US");

/** `selected` is a conversation's id, "new" for the New SMS form, or null. */
export function SmsPage({ selected }: { selected: string | null }) {
  return (
    <div class={`inbox sms-inbox ${selected ? "has-selection" : ""}`}>
      <h1 class="sr">SMS</h1>
      <div class="side">
        <SmsAccountPanel />
        <ConversationList selectedId={selected} path="/sms" channel="sms" defaultStatus="all" searchPlaceholder="Search name, phone or email" assigneeFilter={false} />
      </div>
      {selected === "new" ? (
        <NewSms />
      ) : selected ? (
        <ConversationView key={selected} id={selected} from={SMS} />
      ) : (
        <section class="placeholder" aria-label="Conversation">
          <p>Pick an SMS conversation to read it, or send a new SMS.</p>
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
    if (!Number.isInteger(add) || add < 1) return setError("Add a whole number of credits, 1 or more.");
    setBusy(true);
    setError(null);
    try {
      const { credits } = await api<{ credits: number }>("POST", "/sms/credits", { add });
      setSmsCredits(credits);
      form.reset();
      form.closest("details")?.removeAttribute("open");
      notify(`${number(add)} ${add === 1 ? "credit" : "credits"} added: ${number(credits)} left.`);
    } catch (e) {
      setError(e instanceof Error ? e.message : "The credits were not added.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="sms-account" aria-label="SMS account">
      <div class="balance">
        <p>
          <span class="muted">Credits</span> <strong class="credits-left">{account ? number(account.credits) : "…"}</strong>
        </p>
        <a class="button" href="/sms/new">
          New SMS
        </a>
      </div>
      {account ? (
        account.fromNumber ? (
          <p class="from muted">
            Texts come from <strong>{account.fromNumber}</strong>; 1 credit per message billed.
          </p>
        ) : (
          <p class="from warn">SMS is not connected: an admin sets the Twilio account and number in Settings.</p>
        )
      ) : null}
      <details class="top-up">
        <summary>Top up</summary>
        <form class="inline-form" onSubmit={topUp} aria-label="Top up credits">
          <label>
            Credits to add
            <input name="add" type="number" min={1} step={1} required inputMode="numeric" />
          </label>
          <button type="submit" disabled={busy}>
            Add credits
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
      notify(message.status === "failed" ? "The SMS was not delivered: see the conversation." : "SMS sent.");
      navigate(`/sms/${message.conversationId}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : "The SMS was not sent.");
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
          <h2 id="new-sms-title">New SMS</h2>
        </div>
      </header>
      <form class="stack narrow new-sms-form" onSubmit={send} aria-label="New SMS">
        <label>
          To
          <input name="to" type="tel" required autocomplete="off" placeholder="+1 415 555 0100" maxLength={40} />
        </label>
        <label>
          <span>
            Campaign name <span class="muted">(optional)</span>
          </span>
          <input name="name" autocomplete="off" maxLength={200} />
        </label>
        <label>
          Message
          <textarea name="body" rows={6} value={body} aria-describedby="new-sms-meter" onInput={(e: Event) => setBody((e.target as HTMLTextAreaElement).value)} />
        </label>
        <SmsMeter id="new-sms-meter" size={size} credits={account?.credits ?? null} />
        <FormError message={error} />
        <div class="row-actions">
          <button type="submit" disabled={busy || !body.trim() || refusal !== null}>
            Send SMS
          </button>
          <span class="muted">Sent as a campaign; replies arrive here in SMS.</span>
        </div>
      </form>
    </section>
  );
}
