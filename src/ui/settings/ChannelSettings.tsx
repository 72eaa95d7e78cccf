// Connecting the provider channels: Facebook Messenger (a Meta app and Page) and SMS (a Twilio
// account and number). Secrets are write-only: the API reads them back masked, so their fields
// start empty and an empty field leaves the stored secret as it is.
import { useState } from "hono/jsx/dom";
import { FormError, formValues } from "../components";
import { notify } from "../notices";
import { refreshSms } from "../sms";
import type { Settings } from "../types";
import { CopyButton } from "./CopyButton";
import { useSettings } from "./useSettings";
import { SecretField } from "./SecretField";

/** Only what was typed: an empty secret field keeps the stored secret. */
function typed(values: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => values[k]?.trim()).map((k) => [k, values[k]!.trim()]));
}

function WebhookUrl({ path, label, base }: { path: string; label: string; base?: string }) {
  const url = `${(base || location.origin).replace(/\/+$/, "")}${path}`;
  return (
    <div class="stack tight">
      <span class="field-title">{label}</span>
      <div class="copy-row">
        <input readOnly value={url} aria-label={label} />
        <CopyButton text={url} label="Copy" />
      </div>
    </div>
  );
}

function useSave(what: string) {
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<void>, form: HTMLFormElement) => {
    setError(null);
    try {
      await action();
      form.querySelectorAll<HTMLInputElement>("input[type=password]").forEach((i) => void (i.value = ""));
      notify(`${what} saved.`);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Not saved.");
    }
  };
  return { error, run };
}

export function SmsSettings() {
  const { settings, save } = useSettings();
  const { error, run } = useSave("SMS settings");
  if (!settings) return <p class="empty">Loading…</p>;
  const sms = settings.sms;
  const submit = (event: Event) => {
    const form = event.currentTarget as HTMLFormElement;
    const v = formValues(event);
    const patch: Partial<Settings["sms"]> = {
      accountSid: v.accountSid?.trim() ?? "",
      fromNumber: v.fromNumber?.trim() ?? "",
      publicBaseUrl: v.publicBaseUrl?.trim() ?? "",
      apiBaseUrl: v.apiBaseUrl?.trim() || sms.apiBaseUrl,
      ...typed(v, ["authToken"]),
    };
    return run(async () => {
      await save({ sms: patch });
      refreshSms(0);
    }, form);
  };
  return (
    <form class="stack narrow" onSubmit={submit} aria-label="SMS settings">
      <p>Two-way SMS through Twilio, for admins: texts to the number below arrive in the SMS inbox, and each message billed (160 characters, or 70 with an emoji) spends one credit.</p>
      <label>
        Account SID
        <input name="accountSid" value={sms.accountSid} autocomplete="off" spellcheck={false} maxLength={100} />
      </label>
      <SecretField name="authToken" label="Auth token" stored={sms.authToken} />
      <label>
        SMS number
        <input name="fromNumber" type="tel" value={sms.fromNumber} autocomplete="off" placeholder="+1 415 555 0100" maxLength={30} />
      </label>
      <WebhookUrl path="/webhooks/sms" label="Messaging webhook (A message comes in)" base={sms.publicBaseUrl} />
      <details class="advanced">
        <summary>Advanced</summary>
        <div class="stack">
          <label>
            <span>
              Public address of Parley <span class="muted">(when a proxy in front of it changes the URL Twilio calls)</span>
            </span>
            <input name="publicBaseUrl" type="url" value={sms.publicBaseUrl} placeholder={location.origin} maxLength={500} />
          </label>
          <label>
            Twilio API base URL
            <input name="apiBaseUrl" type="url" value={sms.apiBaseUrl} maxLength={500} />
          </label>
        </div>
      </details>
      <FormError message={error} />
      <div>
        <button type="submit">Save SMS settings</button>
      </div>
    </form>
  );
}

export function MessengerSettings() {
  const { settings, save } = useSettings();
  const { error, run } = useSave("Messenger settings");
  if (!settings) return <p class="empty">Loading…</p>;
  const m = settings.messenger;
  const submit = (event: Event) => {
    const form = event.currentTarget as HTMLFormElement;
    const v = formValues(event);
    const patch: Partial<Settings["messenger"]> = {
      pageId: v.pageId?.trim() ?? "",
      humanAgent: v.humanAgent === "on",
      graphApiBaseUrl: v.graphApiBaseUrl?.trim() || m.graphApiBaseUrl,
      ...typed(v, ["pageAccessToken", "appSecret", "verifyToken"]),
    };
    return run(() => save({ messenger: patch }), form);
  };
  return (
    <form class="stack narrow" onSubmit={submit} aria-label="Messenger settings">
      <p>Messages to your Facebook Page arrive in the inbox. Meta lets a Page answer within 24 hours of the person's last message; with the human agent permission, until 7 days.</p>
      <label>
        Page ID
        <input name="pageId" value={m.pageId} autocomplete="off" spellcheck={false} maxLength={100} />
      </label>
      <SecretField name="pageAccessToken" label="Page access token" stored={m.pageAccessToken} />
      <SecretField name="appSecret" label="App secret" stored={m.appSecret} />
      <SecretField name="verifyToken" label="Verify token" stored={m.verifyToken} />
      <label class="check">
        <input type="checkbox" name="humanAgent" checked={m.humanAgent} />
        Reply until 7 days after the person's last message (the Page has the human agent permission)
      </label>
      <WebhookUrl path="/webhooks/messenger" label="Callback URL" />
      <details class="advanced">
        <summary>Advanced</summary>
        <label>
          Graph API base URL
          <input name="graphApiBaseUrl" type="url" value={m.graphApiBaseUrl} maxLength={500} />
        </label>
      </details>
      <FormError message={error} />
      <div>
        <button type="submit">Save Messenger settings</button>
      </div>
    </form>
  );
}
