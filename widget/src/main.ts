// Parley's chat widget, pasted on any website with the snippet from the contract:
//   window.Parley = window.Parley || { q: [], push(a) { this.q.push(a) } };
//   Parley.push(["identify", { email, name, hash }]);   // also ["open"], ["close"], ["locale", "it"]
// Commands pushed before this script ran wait in Parley.q; they run in order once it has.
import { type Language, pickLanguage } from "../../src/domain/languages";
import { Api, type ChatForm, type Config, Refusal, type Session, type Shown } from "./api";
import { Live, retryLater, type Frame } from "./live";
import { Outbox } from "./outbox";
import { View, type PreChat } from "./view";
import { explain, language, speak, t } from "./words";

type Command = [string, (Record<string, string> | string)?];

const TYPING_EVERY_MS = 2_500;
const TYPING_IDLE_MS = 4_000;

// Read now: document.currentScript is only set while this script first runs.
const api = new Api(new URL((document.currentScript as HTMLScriptElement | null)?.src ?? location.href).origin);
const outbox = new Outbox(() => api.token);
let view: View;
let live: Live | null = null;
let session: Session | null = null;
let form: ChatForm | null = null;
/** The language the host page chose (["locale", tag]); null: the visitor's browser's, else the workspace's. */
let chosen: Language | null = null;
/** The newest message seen: where a reconnect resumes. */
let newest: Shown | null = null;
/** The first message's request is under way: it opens the conversation. */
let opening = false;
let openTries = 0;
let openLater = 0;
let typingSince = 0;
let typingIdle = 0;

const anonymous = (): Session => ({ conversationId: null, identified: false });

async function loadSession(): Promise<Session> {
  // A page view makes no visitor: only someone who chats (or is identified) gets a token.
  if (!api.token) return anonymous();
  return api.call<Session>("GET", "/session").catch((error) => {
    if (error instanceof Refusal && error.status === 401) return anonymous();
    throw error;
  });
}

async function boot() {
  view = new View();
  view.onToggle = (open) => run([open ? "open" : "close"]);
  view.onPreChat = preChat;
  view.onSend = send;
  view.onTyping = typing;
  addEventListener("online", () => (live ? live.wake() : sendFirst()));
  addEventListener("offline", () => live?.drop());
  await refresh().catch(() => view.dress());
  // What a reload or a lost network left unsent: shown waiting, and sent again as soon as it can go.
  for (const unsent of outbox.items) view.show({ ...unsent, sending: true });
  session = await loadSession();
  if (session.conversationId) connect(session.conversationId);
  else sendFirst();
}

async function handle([name, args]: Command) {
  if (name === "identify" && typeof args === "object") return identify(args);
  if (name === "open" || name === "close") return toggle(name === "open");
  if (name === "locale") return chosen !== language && refresh();
  console.warn(`Parley: unknown command ${name}`);
}

/** The workspace's config in the language wanted, applied: what changed since the page loaded shows without a reload. */
async function refresh() {
  const wanted = chosen ?? pickLanguage(navigator.languages);
  // The language's words load beside the config, not after it.
  const [config] = await Promise.all([api.call<Config>("GET", `/config${wanted ? `?locale=${wanted}` : ""}`), wanted && speak(api.base, wanted)]);
  await speak(api.base, config.locale);
  form = config.chatForm;
  view.dress(config);
}

async function toggle(open: boolean) {
  view.setOpen(open);
  if (!open) return;
  // Offline, the form as it was is still good to show.
  await refresh().catch((error) => {
    if (!form) throw error;
  });
  session ??= await loadSession();
  if (session.identified) return view.letThemWrite();
  view.askWhoTheyAre(form!);
}

type Identified = { token?: string };

/** This browser was someone else's: the person who just said who they are starts a thread of their own. */
function startOverIfNew(answer: Identified): boolean {
  if (!answer.token) return false;
  api.keep(answer.token);
  outbox.clear();
  live?.stop();
  live = null;
  newest = null;
  view.clear();
  return true;
}

async function identify(who: Record<string, string>) {
  await api.visitor();
  try {
    startOverIfNew(await api.call<Identified>("POST", "/identify", who));
    session = await loadSession();
  } catch (error) {
    if (!(error instanceof Refusal && error.status === 403)) throw error;
    console.warn(`Parley: identify refused: ${error.message}`);
  }
}

async function preChat(values: PreChat) {
  try {
    await api.visitor();
    const fresh = startOverIfNew(await api.call<Identified>("POST", "/prechat", values));
    session = { ...(fresh || !session ? anonymous() : session), identified: true };
    view.say("");
    view.letThemWrite();
  } catch (error) {
    if (error instanceof Refusal && error.issues.length) view.showIssues(error.issues);
    else view.say(error instanceof Refusal ? explain(error.message, error.code) : t("failed"));
  }
}

function send(body: string) {
  const unsent = { clientId: Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join(""), body };
  const refused = outbox.add(unsent);
  if (refused) return view.refuse(body, refused);
  view.show({ ...unsent, sending: true });
  clearTimeout(typingIdle);
  typingSince = 0;
  if (live) live.flush();
  else sendFirst();
}

/**
 * The first message goes over HTTP: it opens the conversation the socket then joins, which sends
 * the rest. Sent again after no answer, it is stored once, in the conversation the first try opened.
 */
async function sendFirst() {
  const first = outbox.items[0];
  if (live || opening || !first) return;
  opening = true;
  clearTimeout(openLater);
  // The language it was written in: the workflow's answers and the email transcript follow it.
  const answer = await api.call<{ conversationId: string; message: Shown }>("POST", "/messages", { ...first, locale: language }).catch((error: Error) => error);
  opening = false;
  if (!(answer instanceof Error)) {
    openTries = 0;
    outbox.drop(first.clientId);
    seen(answer.message);
    return connect(answer.conversationId);
  }
  // No answer (offline), or not stored this time: it stays waiting. Any other refusal is final.
  if (!(answer instanceof Refusal) || answer.status >= 500) return void (openLater = retryLater(sendFirst, openTries++));
  outbox.drop(first.clientId);
  view.giveBack(first.clientId, explain(answer.message, answer.code));
  sendFirst();
}

function typing() {
  const now = Date.now();
  if (now - typingSince > TYPING_EVERY_MS) {
    typingSince = now;
    live?.typing(true);
  }
  clearTimeout(typingIdle);
  typingIdle = window.setTimeout(() => {
    typingSince = 0;
    live?.typing(false);
  }, TYPING_IDLE_MS);
}

function connect(conversationId: string) {
  live = new Live(
    async () => {
      // A socket cannot say why it was refused, so each (re)connect checks the token first.
      const current = await loadSession();
      if (current.conversationId !== conversationId) {
        live = null;
        session = current;
        return null;
      }
      return api.liveUrl(conversationId, newest?.id ?? null);
    },
    received,
    outbox,
  );
}

function received(frame: Frame) {
  if (frame.type === "ready") frame.messages.forEach(seen);
  else if (frame.type === "message.created") seen(frame.message);
  else if (frame.type === "typing" && frame.from === "agent") view.agentTyping(frame.typing ? (frame.name ?? "") : null);
  else if (frame.type === "error" && frame.clientId && frame.code !== "not_stored") view.giveBack(frame.clientId, explain(frame.message, frame.code));
}

function seen(message: Shown) {
  // Stored, whichever page sent it: sending it again would only spend the visitor's rate limit.
  if (message.clientId) outbox.drop(message.clientId);
  view.show(message);
  if (!newest || message.createdAt > newest.createdAt || (message.createdAt === newest.createdAt && message.id > newest.id)) newest = message;
}

let chain: Promise<unknown> = new Promise((ready) => (document.body ? ready(0) : addEventListener("DOMContentLoaded", ready))).then(boot);

function run(command: Command) {
  // At once, not in turn: the config asked for when the page loads is then in the language chosen before it.
  if (command[0] === "locale") chosen = pickLanguage([command[1] as string]);
  chain = chain.then(() => handle(command)).catch((error) => console.warn("Parley:", error));
}

// biome-ignore lint/suspicious/noExplicitAny: the host page's own global, whatever it put there before this script
const parley = ((window as any).Parley ||= { q: [] });
parley.push = run;
(parley.q as Command[]).splice(0).forEach(run);
