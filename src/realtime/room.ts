// One conversation's room: the visitor's widget socket, the agents watching it, and the thread's
// first record. Every message and change is kept in the room's journal before anyone is told
// (journal.ts), then at once: the ack, the frame to the room's sockets, the event to the inbox.
// The outbox writes the journal to D1 right after, in batches while D1 is busy, and the alarm
// retries until D1 takes it, also for a room woken after a deploy, an eviction or a crash.
// Sockets hibernate; what the room needs after waking is in its storage or each socket's attachment.
import { DurableObject } from "cloudflare:workers";
import { database } from "../db/client";
import type { Message } from "../db/schema";
import { admit, bodyRefusal, chatExternalId, FIRST_PAGE, missedSince, shownToVisitor, visitorMessageView, type VisitorMessageView } from "../domain/chat";
import { afterMessage, CONVERSATION_ACTIONS, findConversationView, withRoomFields, type ConversationAction } from "../domain/conversations";
import { summarizeEveryTenth } from "../domain/drafts";
import { claimMessage, composeMessage, countMessages, findInThread, messageView, movesOn, withPending, writeThread, type MessageChange } from "../domain/messages";
import { inboundAuthor } from "../domain/pipeline";
import { publishEvent } from "../domain/subscriptions";
import type { Env } from "../env";
import type { ConversationView, MessageView, RunView } from "../wire";
import { closeTagged, guestTags } from "./access";
import { tellInbox } from "./events";
import { Journal } from "./journal";
import { Lane } from "./lane";
import { guestOf, type Guest } from "./notify";
import { Runner } from "./runner";
import { closeQuietly, refuseNonUpgrade, send, sendAll } from "./sockets";
import { errorFrame, parseClientFrame, PING, PONG, type AgentRoomFrame, type ErrorCode, type InboxEvent, type Role, type VisitorFrame } from "./protocol";

/** A reload reconnects within this: agents see no offline/online flicker. */
const GRACE_MS = 2_000;
/**
 * The widget pings every 5 s, answered without waking the room; a visitor socket quiet for this
 * long is gone (a dropped network; a closed tab is seen at once). The room wakes to check only
 * when the quietest socket would reach it, so a room with a live visitor sleeps between checks.
 */
const SILENT_AFTER_MS = 45_000;
/** Entries written to D1 in one transaction at most. */
const FLUSH_BATCH = 50;
/**
 * With every D1 write the alarm is due by then: a room stopped before D1 has what it kept wakes to
 * send it. Later than a visitor socket's check, so a room with a live visitor sets nothing more.
 */
const FLUSH_BACKSTOP_MS = 60_000;
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;
/** A workflow run interrupted mid-step (a crash, a deploy) is taken up again by then. */
const RUN_BACKSTOP_MS = 5_000;

type Attachment = { role: Role; id: string; name: string | null; conversationId: string; seen: number };

export type VisitorSays = { conversationId: string; visitorId: string; clientId: string; body: string };
export type Receipt = { message: VisitorMessageView } | { refusal: { code: ErrorCode; message: string } };
export type Kept = { message: Message; duplicate: boolean };
type ToD1 = "now" | "gather";

export class ConversationRoom extends DurableObject<Env> {
  private readonly journal: Journal;
  /** The conversation's workflow run (runner.ts). */
  private readonly runner: Runner;
  /** Messages are taken one after another: the order they are sent is the order everyone sees. */
  private readonly messages = new Lane();
  /** One D1 write at a time: what arrives meanwhile goes in the next batch. */
  private readonly outbox = new Lane();
  private flushQueued = false;
  /** Ends the wait of a write gathering a burst: something an API caller reads back has joined it. */
  private endGather: (() => void) | null = null;
  /** Inbox events leave in the order the room kept what they tell, one call at a time. */
  private toInbox: InboxEvent[] = [];
  private tellingInbox = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    this.journal = new Journal(ctx.storage.sql, ctx.storage.kv);
    this.runner = new Runner(ctx.storage.kv, env, {
      conversationId: () => this.journal.conversation()?.id ?? null,
      message: async (id) => this.journal.message(id) ?? (await this.fromD1(id).catch(() => null)),
      updateMessage: (change, known) => this.updateMessage(change, known),
      show: (run) => sendAll(this.ctx.getWebSockets("agent"), { type: "run.updated", run } satisfies AgentRoomFrame),
    });
    if (this.journal.owes()) this.flushSoon();
  }

  override async fetch(request: Request): Promise<Response> {
    const refused = refuseNonUpgrade(request);
    if (refused) return refused;
    const guest = guestOf(request);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, guestTags(guest));
    const me: Attachment = { role: guest.role, id: guest.id, name: guest.name, conversationId: guest.conversationId, seen: Date.now() };
    server.serializeAttachment(me);
    // Accepted first, so nothing kept while the thread is read is missed (clients drop repeats by id).
    const [conversation, missed] = await Promise.all([this.current(guest.conversationId), this.missed(guest)]);
    const ready = { type: "ready" as const, conversationId: guest.conversationId, visitorOnline: conversation?.visitorOnline ?? false };
    send(server, guest.role === "visitor" ? { ...ready, messages: missed.map(visitorMessageView) } : { ...ready, messages: missed });
    if (guest.role === "visitor") {
      this.setPresence(true);
      await this.alarmBy(Date.now() + SILENT_AFTER_MS);
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const me = ws.deserializeAttachment() as Attachment;
    me.seen = Date.now();
    ws.serializeAttachment(me);
    const read = parseClientFrame(raw);
    if ("error" in read) return send(ws, read.error);
    const frame = read.frame;
    switch (frame.type) {
      case "ping":
        return ws.send(PONG);
      case "typing":
        return this.broadcastTyping(ws, me, frame.typing);
      case "message": {
        if (me.role !== "visitor") {
          return send(ws, errorFrame("not_allowed", "Agents reply with POST /api/conversations/:id/messages.", frame.clientId));
        }
        const says = { conversationId: me.conversationId, visitorId: me.id, clientId: frame.clientId, body: frame.body };
        const receipt = await this.receive(says, "gather");
        return send(ws, "refusal" in receipt ? errorFrame(receipt.refusal.code, receipt.refusal.message, frame.clientId) : { type: "ack", clientId: frame.clientId, messageId: receipt.message.id });
      }
    }
  }

  /**
   * A visitor's message, from their socket or the widget's HTTP call: checked, limited, kept once,
   * told. Over the socket a burst is written to D1 together; over HTTP at once (see flushSoon).
   */
  async receive(says: VisitorSays, toD1: ToD1 = "now"): Promise<Receipt> {
    const refusal = bodyRefusal(says.body);
    if (refusal) return { refusal };
    // A resend of what is stored (the widget did not hear the ack) is answered as it was, and costs nothing of the limit.
    const stored = await this.held({ id: "", channel: "chat", externalId: chatExternalId(says.visitorId, says.clientId) });
    if (stored) return { message: visitorMessageView(messageView(stored)) };
    const key = `sent:${says.visitorId}`;
    const admitted = admit(this.ctx.storage.kv.get<number[]>(key) ?? [], Date.now());
    if ("refusal" in admitted) return admitted;
    this.ctx.storage.kv.put(key, admitted.window);
    return this.messages.run(async () => {
      const conversation = await this.current(says.conversationId).catch(() => null);
      if (!conversation) return { refusal: { code: "not_stored" as const, message: "The message could not be stored; send it again." } };
      const message = composeMessage(says.conversationId, {
        direction: "in",
        channel: "chat",
        body: says.body,
        author: inboundAuthor(conversation.contact),
        externalId: chatExternalId(says.visitorId, says.clientId),
      });
      const { message: kept } = await this.keep(message, conversation, toD1);
      return { message: visitorMessageView(messageView(kept)) };
    });
  }

  /**
   * A message the rest of the system made (an inbound message the pipeline placed, an agent's
   * reply), with the conversation as D1 has it. Kept once, by id or provider id.
   */
  async record(message: Message, conversation?: ConversationView): Promise<Kept> {
    return this.messages.run(async () => {
      if (conversation) this.adoptQuietly(conversation);
      return this.keep(message);
    });
  }

  /**
   * A message whose provider id D1 decides (mail, and the webhooks of other providers): stored in
   * D1 with the conversation in one transaction, then kept and told here. A repeat is given back
   * as it was first stored, and changes nothing.
   */
  async claim(message: Message, conversation: ConversationView): Promise<Kept> {
    return this.messages.run(async () => {
      this.adoptQuietly(conversation);
      const held = await this.held(message);
      if (held) return { message: held, duplicate: true };
      const { before, after } = await this.changedBy(message);
      const first = await claimMessage(database(this.env.DB), message, after);
      if (first) return { message: first, duplicate: true };
      this.journal.appendWritten(message, after, before.channels.length === 0);
      this.heardByRun(message, before);
      this.countTowardsSummary(message, before);
      this.told(message, after);
      await this.tellSubscribers([message]);
      if (this.journal.owes()) this.flushSoon();
      return { message, duplicate: false };
    });
  }

  /** A delivery report about one of the thread's messages; `known` is the message as D1 has it, for one the journal no longer holds. */
  async updateMessage(change: MessageChange, known?: Message): Promise<MessageView> {
    const current = this.journal.message(change.id) ?? known ?? (await this.fromD1(change.id));
    if (!movesOn(current, change)) return messageView(current);
    const view = messageView(this.journal.change(change, current));
    sendAll(this.ctx.getWebSockets("agent"), { type: "message.updated", message: view } satisfies AgentRoomFrame);
    this.tell({ type: "message.updated", conversationId: view.conversationId, message: view });
    this.flushSoon();
    return view;
  }

  /** Read, complete or reopen, for every agent; null when there is no such conversation. */
  async act(conversationId: string, action: ConversationAction): Promise<ConversationView | null> {
    const conversation = await this.current(conversationId);
    if (!conversation) return null;
    return this.changeConversation(CONVERSATION_ACTIONS[action](conversation));
  }

  /** The conversation as the room has it (fresher than D1 for what the room keeps); null if there is none. */
  async current(conversationId: string): Promise<ConversationView | null> {
    const held = this.journal.conversation();
    if (held) return held;
    const fromD1 = await findConversationView(database(this.env.DB), conversationId);
    if (fromD1) this.journal.adoptConversation(fromD1);
    return fromD1;
  }

  /** D1 changed whom the conversation is with (or whether that is verified): agents see it as the room now has it. */
  async adopt(fromD1: ConversationView): Promise<ConversationView> {
    const conversation = this.adoptQuietly(fromD1);
    this.tell({ type: "conversation.updated", conversation });
    return conversation;
  }

  /** Whether D1 now has everything the room holds (false while D1 refuses it). Anything reading the thread from D1 to act on it asks this first. */
  async settle(): Promise<boolean> {
    const retry = await this.outbox.run(() => this.flush());
    if (retry !== null) await this.alarmBy(Date.now() + retry);
    return !this.journal.owes();
  }

  /** The messages this room holds that D1 does not have yet, oldest first. */
  async pending(): Promise<Message[]> {
    return this.journal.unflushed();
  }

  /** The conversation's workflow run as agents see it; null when none has run. */
  async automation(): Promise<RunView | null> {
    return this.runner.view();
  }

  /**
   * The person's data erased: what the room holds of the thread loses its bodies, the run its log,
   * the conversation its names and preview (D1 is written the same by the outbox); the visitor's
   * widget is closed.
   */
  async erase(erasedMeta: Record<string, unknown>): Promise<void> {
    await this.messages.run(async () => {
      this.journal.erase(erasedMeta);
      this.runner.erase();
      this.ctx.storage.kv.delete("messageCount");
      const conversation = this.journal.conversation();
      if (conversation) this.changeConversation({ ...conversation, contact: null, partyName: null, subject: null, preview: "", erased: true });
    });
    for (const ws of this.ctx.getWebSockets("visitor")) ws.close(4003, "This conversation was erased.");
    await this.settle();
  }

  /** Closes the agents' sockets whose access ended (see access.ts). */
  async endAccess(tags: string[]): Promise<void> {
    closeTagged(this.ctx, tags);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    closeQuietly(ws, code, reason);
    if ((ws.deserializeAttachment() as Attachment).role !== "visitor") return;
    this.ctx.storage.kv.put("visitorLeftAt", Date.now());
    await this.alarmBy(Date.now() + GRACE_MS);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.webSocketClose(ws, 1011, "socket error");
  }

  /** Closes visitor sockets gone silent, shows the visitor offline once none is left, and sends D1 what it lacks. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    for (const ws of this.openVisitorSockets()) {
      if (now - this.lastHeard(ws) >= SILENT_AFTER_MS) ws.close(4001, "No ping from the widget.");
    }
    if (this.openVisitorSockets().length === 0 && now >= this.graceEndsAt()) this.setPresence(false);
    await this.runner.drive();
    await this.wakeFor(await this.outbox.run(() => this.flush()));
  }

  /** Keeps a message once and tells everyone; one already kept is given back as it was. `known`: the conversation, if the caller has it. */
  private async keep(message: Message, known?: ConversationView, toD1: ToD1 = "now"): Promise<Kept> {
    const held = await this.held(message);
    if (held) return { message: held, duplicate: true };
    const { before, after } = await this.changedBy(message, known);
    this.journal.append(message, after, before.channels.length === 0);
    this.heardByRun(message, before);
    this.countTowardsSummary(message, before);
    this.told(message, after);
    this.flushSoon(toD1);
    return { message, duplicate: false };
  }

  /** Tells the run of a message just kept, in the same storage write; the run then goes on outside the messages' lane, which its own sends go through. */
  private heardByRun(message: Message, before: ConversationView): void {
    if (this.runner.heard(message, before.channels.length === 0)) void this.driveRun();
  }

  /**
   * Counts the thread's messages (notes aside): with summaries on, every tenth brings a summary note.
   * A room older than the count learns it from D1 once, and counts from there.
   */
  private countTowardsSummary(message: Message, before: ConversationView): void {
    if (message.kind === "note") return;
    const known = this.ctx.storage.kv.get<number>("messageCount") ?? (before.channels.length === 0 ? 0 : null);
    if (known === null) return void this.countFromD1(message.conversationId);
    const count = known + 1;
    this.ctx.storage.kv.put("messageCount", count);
    void summarizeEveryTenth(this.env, message.conversationId, count).catch((error: unknown) => console.error("summary not added", error));
  }

  private async countFromD1(conversationId: string): Promise<void> {
    const stored = await countMessages(database(this.env.DB), conversationId).catch(() => null);
    if (stored === null || this.ctx.storage.kv.get("messageCount") !== undefined) return;
    this.ctx.storage.kv.put("messageCount", stored + this.journal.unflushed().filter((m) => m.kind !== "note").length);
  }

  /** Moves the run on now; should the room stop meanwhile, its alarm takes the run up again. */
  private async driveRun(): Promise<void> {
    await this.alarmBy(Date.now() + RUN_BACKSTOP_MS);
    await this.runner.drive();
    const due = this.runner.dueAt();
    if (due !== null) await this.alarmBy(due);
  }

  private async held(message: Pick<Message, "id" | "channel" | "externalId">): Promise<Message | null> {
    const held = this.journal.find(message);
    if (!held) return null;
    return "body" in held ? held : this.fromD1(held.id);
  }

  private async changedBy(message: Message, known?: ConversationView) {
    const before = known ?? (await this.current(message.conversationId));
    if (!before) throw new Error(`conversation ${message.conversationId} not found`);
    return { before, after: afterMessage(before, message) };
  }

  /** The frames to the room's sockets and the events to the inbox, for a message just kept. */
  private told(message: Message, conversation: ConversationView): void {
    const view = messageView(message);
    sendAll(this.ctx.getWebSockets("agent"), { type: "message.created", message: view } satisfies AgentRoomFrame);
    if (shownToVisitor(message)) {
      sendAll(this.ctx.getWebSockets("visitor"), { type: "message.created", message: visitorMessageView(view) } satisfies VisitorFrame);
    }
    this.tell({ type: "message.created", conversationId: conversation.id, message: view }, { type: "conversation.updated", conversation });
  }

  /** CRMs hear of each new message once D1 has it, so what they fetch back is there (a second telling is the same event). */
  private async tellSubscribers(messages: Message[]): Promise<void> {
    for (const message of messages) await publishEvent(this.env, "message.created", { conversationId: message.conversationId, message: messageView(message) }, message.id);
  }

  /** What D1 keeps about the conversation, with what the room keeps itself. */
  private adoptQuietly(fromD1: ConversationView): ConversationView {
    const held = this.journal.conversation();
    if (!held) {
      this.journal.adoptConversation(fromD1);
      return fromD1;
    }
    const conversation = withRoomFields(fromD1, held);
    this.journal.adoptConversation(conversation);
    return conversation;
  }

  private changeConversation(conversation: ConversationView): ConversationView {
    this.journal.setConversation(conversation);
    this.tell({ type: "conversation.updated", conversation });
    this.flushSoon();
    return conversation;
  }

  /** What a joining client missed, from the journal when it holds all of it, else from D1 with what D1 still lacks. */
  private async missed(guest: Guest): Promise<MessageView[]> {
    const shown = guest.role === "visitor" ? shownToVisitor : () => true;
    const held = guest.after ? this.journal.since(guest.after, shown) : this.journal.newest(FIRST_PAGE, shown);
    if (held) return held.map(messageView);
    const stored = await missedSince(database(this.env.DB), guest.conversationId, guest.after, guest.role);
    const merged = withPending(stored, this.journal.unflushed().filter(shown));
    return (guest.after ? merged : merged.slice(-FIRST_PAGE)).map(messageView);
  }

  private async fromD1(id: string): Promise<Message> {
    const conversation = this.journal.conversation();
    const found = conversation && (await findInThread(database(this.env.DB), conversation.id, id));
    if (!found) throw new Error(`message ${id} is in neither the journal nor D1`);
    return found;
  }

  /** What is kept while a call to the inbox is under way goes in the next one: a burst costs a few calls, not one a message. */
  private tell(...events: InboxEvent[]): void {
    this.toInbox.push(...events);
    if (!this.tellingInbox) void this.sendToInbox();
  }

  private async sendToInbox(): Promise<void> {
    this.tellingInbox = true;
    await gathered();
    while (this.toInbox.length) await tellInbox(this.env, this.journal.conversation()?.adminsOnly ? "admins" : "agents", ...latestOnly(this.toInbox.splice(0)));
    this.tellingInbox = false;
  }

  /**
   * Starts a D1 write unless one is already waiting to start: that one will take this entry too.
   * "gather": what follows at once (a visitor typing a burst) goes in the same write. What came
   * over the API is written at once, so whoever called reads it back from D1 right after.
   */
  private flushSoon(toD1: ToD1 = "now"): void {
    if (this.flushQueued) {
      if (toD1 === "now") this.endGather?.();
      return;
    }
    this.flushQueued = true;
    void this.outbox.run(async () => {
      await this.alarmBy(Date.now() + FLUSH_BACKSTOP_MS);
      if (toD1 === "gather") await gathered((end) => (this.endGather = end));
      this.endGather = null;
      this.flushQueued = false;
      const retry = await this.flush();
      if (retry !== null) await this.alarmBy(Date.now() + retry);
    });
  }

  /**
   * Sets the room's one alarm for what it has to do next: try D1 again after `retryMs`, check the
   * quietest visitor socket, end the grace of a visitor who left; none when there is nothing to do.
   * Left as it is while D1 is owed something another write is on its way to send.
   */
  private async wakeFor(retryMs: number | null): Promise<void> {
    if (retryMs === null && this.journal.owes()) return;
    const at = Math.min(retryMs === null ? Infinity : Date.now() + retryMs, this.presenceCheckAt(), this.runner.dueAt() ?? Infinity);
    if (at < Infinity) await this.ctx.storage.setAlarm(at);
    else await this.ctx.storage.deleteAlarm();
  }

  /** When presence next needs a look: the quietest visitor socket's deadline, or the end of a departed visitor's grace. */
  private presenceCheckAt(): number {
    const open = this.openVisitorSockets();
    if (open.length) return Math.min(...open.map((ws) => this.lastHeard(ws))) + SILENT_AFTER_MS;
    return this.journal.conversation()?.visitorOnline ? this.graceEndsAt() : Infinity;
  }

  private graceEndsAt(): number {
    return (this.ctx.storage.kv.get<number>("visitorLeftAt") ?? 0) + GRACE_MS;
  }

  /**
   * Writes what D1 lacks, oldest first, in batches. When D1 refuses, returns how long to wait
   * before trying again (longer each time); null once D1 has everything. Run in the outbox lane only.
   */
  private async flush(): Promise<number | null> {
    try {
      while (this.journal.owes()) {
        const owed = this.journal.owed(FLUSH_BATCH);
        await writeThread(database(this.env.DB), owed);
        this.journal.settled(owed);
        await this.tellSubscribers(owed.messages);
      }
      if (this.ctx.storage.kv.get("retryMs") !== undefined) this.ctx.storage.kv.delete("retryMs");
      return null;
    } catch (error) {
      const wait = Math.min(this.ctx.storage.kv.get<number>("retryMs") ?? RETRY_FIRST_MS, RETRY_MAX_MS);
      this.ctx.storage.kv.put("retryMs", wait * 2);
      console.error(`D1 write deferred ${wait} ms`, error);
      return wait;
    }
  }

  /** The alarm fires by `at`: an earlier one already set stays. */
  private async alarmBy(at: number): Promise<void> {
    const set = await this.ctx.storage.getAlarm();
    if (set === null || set > at) await this.ctx.storage.setAlarm(at);
  }

  private openVisitorSockets(): WebSocket[] {
    return this.ctx.getWebSockets("visitor").filter((ws) => ws.readyState === WebSocket.OPEN);
  }

  private lastHeard(ws: WebSocket): number {
    const seen = (ws.deserializeAttachment() as Attachment).seen;
    return Math.max(seen, this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0);
  }

  /** Whether the visitor's widget is connected, as agents, the inbox and D1 see it. */
  private setPresence(online: boolean): void {
    const conversation = this.journal.conversation();
    if (!conversation || conversation.visitorOnline === online) return;
    this.journal.setConversation({ ...conversation, visitorOnline: online });
    sendAll(this.ctx.getWebSockets("agent"), { type: "presence", online } satisfies AgentRoomFrame);
    this.tell({ type: "presence", conversationId: conversation.id, online });
    this.flushSoon();
  }

  private broadcastTyping(from: WebSocket, who: Attachment, typing: boolean) {
    const frame = { type: "typing", from: who.role, name: who.role === "agent" ? who.name : null, typing } satisfies AgentRoomFrame;
    sendAll(
      this.ctx.getWebSockets().filter((ws) => ws !== from),
      frame,
    );
  }
}

/** The events, with each conversation.updated but the last of its conversation left out: agents need only where it ended. */
function latestOnly(events: InboxEvent[]): InboxEvent[] {
  const last = new Map<string, InboxEvent>();
  for (const event of events) if (event.type === "conversation.updated") last.set(event.conversation.id, event);
  return events.filter((event) => event.type !== "conversation.updated" || last.get(event.conversation.id) === event);
}

/**
 * A moment for what is arriving to join the call about to leave: a visitor's burst goes to D1 (and
 * any room's events to the inbox) in one call, not one for the first message and another for the rest.
 */
const GATHER_MS = 15;
const gathered = (endable?: (end: () => void) => void) =>
  new Promise<void>((done) => {
    endable?.(done);
    setTimeout(done, GATHER_MS);
  });
