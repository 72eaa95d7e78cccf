// Connecting the provider channels: Facebook Messenger (a Meta app and Page) and SMS (a Twilio
// account and number). Secrets are write-only: the API reads them back masked, so their fields
// start empty and an empty field leaves the stored secret as it is.
import { useState } from "hono/jsx/dom";
import { FormError, formValues } from "../components";
import { t } from "../i18n";
import { notify } from "../notices";
import { refreshSms } from "../sms";
import type { Settings } from "../types";
import { CopyButton } from "./CopyButton";
import { SecretField } from "./SecretField";
import { failureText, useSettings } from "./useSettings";

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
        <CopyButton text={url} label={t("settings.copy")} />
      </div>
    </div>
  );
}

/** One save of a channel's settings; `done` is what a success says. */
function useSave(done: string) {
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<void>, form: HTMLFormElement) => {
    setError(null);
    try {
      await action();
      form.querySelectorAll<HTMLInputElement>("input[type=password]").forEach((i) => void (i.value = ""));
      notify(done);
    } catch (e) {
      setError(failureText(e, t("common.notSaved")));
    }
  };
  return { error, run };
}

export function SmsSettings() {
  const { settings, save } = useSettings();
  const { error, run } = useSave(t("settings.smsSaved"));
  if (!settings) return <p class="empty">{t("common.loading")}</p>;
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
    <form class="stack narrow" onSubmit={submit} aria-label={t("settings.smsForm")}>
      <p>{t("settings.smsAbout")}</p>
      <label>
        {t("settings.smsAccountSid")}
        <input name="accountSid" value={sms.accountSid} autocomplete="off" spellcheck={false} maxLength={100} />
      </label>
      <SecretField name="authToken" label={t("settings.smsAuthToken")} stored={sms.authToken} />
      <label>
        {t("settings.smsNumber")}
        <input name="fromNumber" type="tel" value={sms.fromNumber} autocomplete="off" placeholder="+1 415 555 0100" maxLength={30} />
      </label>
      <WebhookUrl path="/webhooks/sms" label={t("settings.smsWebhook")} base={sms.publicBaseUrl} />
      <details class="advanced">
        <summary>{t("settings.advanced")}</summary>
        <div class="stack">
          <label>
            <span>
              {t("settings.smsPublicAddress")} <span class="muted">{t("settings.smsPublicAddressWhen")}</span>
            </span>
            <input name="publicBaseUrl" type="url" value={sms.publicBaseUrl} placeholder={location.origin} maxLength={500} />
          </label>
          <label>
            {t("settings.smsApiBaseUrl")}
            <input name="apiBaseUrl" type="url" value={sms.apiBaseUrl} maxLength={500} />
          </label>
        </div>
      </details>
      <FormError message={error} />
      <div>
        <button type="submit">{t("settings.smsSave")}</button>
      </div>
    </form>
  );
}

export function MessengerSettings() {
  const { settings, save } = useSettings();
  const { error, run } = useSave(t("settings.messengerSaved"));
  if (!settings) return <p class="empty">{t("common.loading")}</p>;
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
    <form class="stack narrow" onSubmit={submit} aria-label={t("settings.messengerForm")}>
      <p>{t("settings.messengerAbout")}</p>
      <label>
        {t("settings.messengerPageId")}
        <input name="pageId" value={m.pageId} autocomplete="off" spellcheck={false} maxLength={100} />
      </label>
      <SecretField name="pageAccessToken" label={t("settings.messengerPageToken")} stored={m.pageAccessToken} />
      <SecretField name="appSecret" label={t("settings.messengerAppSecret")} stored={m.appSecret} />
      <SecretField name="verifyToken" label={t("settings.messengerVerifyToken")} stored={m.verifyToken} />
      <label class="check">
        <input type="checkbox" name="humanAgent" checked={m.humanAgent} />
        {t("settings.messengerHumanAgent")}
      </label>
      <WebhookUrl path="/webhooks/messenger" label={t("settings.messengerCallbackUrl")} />
      <details class="advanced">
        <summary>{t("settings.advanced")}</summary>
        <label>
          {t("settings.messengerGraphApiBaseUrl")}
          <input name="graphApiBaseUrl" type="url" value={m.graphApiBaseUrl} maxLength={500} />
        </label>
      </details>
      <FormError message={error} />
      <div>
        <button type="submit">{t("settings.messengerSave")}</button>
      </div>
    </form>
  );
}
