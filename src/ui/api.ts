// The one way the UI talks to the Worker: JSON over /api, errors as ApiFailure with the server's
// sentence, or the catalogue's for the refusals it words in the UI's language.
import { t } from "./i18n";

type Key = Parameters<typeof t>[0];

/** The server's refusals the catalogue says itself, by code, wherever in the UI they are met. */
const REFUSALS: Readonly<Record<string, Key>> = {
  no_chat_visitor: "inbox.whyNoChatVisitor",
  no_email_address: "inbox.whyNoEmailAddress",
  email_not_configured: "inbox.whyEmailNotConfigured",
  channel_not_connected: "inbox.whyChannelNotConnected",
  no_messenger_person: "inbox.whyNoMessengerPerson",
  outside_messaging_window: "inbox.whyOutsideMessagingWindow",
  no_sms_number: "inbox.whyNoSmsNumber",
  sms_opted_out: "inbox.whySmsOptedOut",
  no_reachable_channel: "inbox.whyNoReachableChannel",
  no_agent_online: "inbox.noAgentOnline",
  ai_disabled: "inbox.draftsOff",
  no_chat_messages: "inbox.noChatMessages",
  invalid_phone: "inbox.invalidPhone",
  email_taken: "settings.refusalEmailTaken",
  last_admin: "settings.refusalLastAdmin",
  ai_not_acknowledged: "settings.refusalNotAcknowledged",
};

/** A refusal's sentence in the UI's language when the catalogue has one for `code`, else `said` (the server's). */
export const refusalText = <Said extends string | null>(code: string | null, said: Said): string | Said => (code !== null && Object.hasOwn(REFUSALS, code) ? t(REFUSALS[code]!) : said);

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();

/** Called when any request answers 401: the session ended, so the app shows the sign-in page. */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** The session ended (a 401, or a live socket closed because access ended): the app shows the sign-in page. */
export function signedOut() {
  signedOutListeners.forEach((l) => void l());
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(`/api${path}`, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, "offline", t("common.unreachable"));
  }
}

type ErrorBody = { error?: { code: string; message: string; details?: unknown } } | null;

function failure(response: Response, path: string, data: ErrorBody): ApiFailure {
  const error = data?.error;
  if (response.status === 401 && !path.startsWith("/auth/")) signedOut();
  const code = error?.code ?? "http_error";
  return new ApiFailure(response.status, code, refusalText(code, error?.message ?? t("common.requestFailed", { status: response.status })), error?.details);
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  const data = (await response.json().catch(() => null)) as ErrorBody;
  if (!response.ok) throw failure(response, path, data);
  return data as T;
}

/** A file the API hands out as an attachment (GET), with the name its content-disposition gives, or `fallback`. */
export async function download(path: string, fallback: string): Promise<{ blob: Blob; filename: string }> {
  const response = await send("GET", path);
  if (!response.ok) throw failure(response, path, (await response.json().catch(() => null)) as ErrorBody);
  const named = response.headers.get("content-disposition")?.match(/filename="([^"]+)"/)?.[1];
  return { blob: await response.blob(), filename: named ?? fallback };
}

/** Builds a query string from the values that are set. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}
