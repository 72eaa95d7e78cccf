// A conversation room's own record of its thread, in the room's SQLite storage. Every message and
// every change to one is written here first: the write is local and synchronous, and the output
// gate holds every frame and answer until it is durable, so nothing is told before it is kept.
// The room's outbox then copies what is owed to D1 (the record everyone else reads), and entries
// D1 has are trimmed down to the recent window a reconnecting socket is replayed from.
//
// The room also keeps the conversation as the inbox shows it. It is the one writer of the fields
// a message or an agent changes (status, unread, preview, activity, channels, presence), so it can
// tell the inbox without reading D1, and writes them to D1 whole, which makes a second copy harmless.
import type { Message } from "../db/schema";
import { applyChange, byThreadOrder, type MessageChange, type ThreadWrites } from "../domain/messages";
import type { ConversationView } from "../wire";

/** Flushed messages kept whole for replay; older ones keep only what tells a resend apart. */
const REPLAY_WINDOW = 200;
/** Trimmed in steps of this many, so a busy room does not trim after every message. */
const TRIM_STEP = 50;
const PRUNE_EVERY_MS = 86_400_000;
const JOURNAL_SCHEMA = 1;
/** How long a flushed message still tells a resend of it apart (a widget resends within seconds). */
const DEDUPE_KEPT_MS = 30 * 86_400_000;

/** What D1 lacks, up to entry `upTo`; `version` marks which copy of the conversation it carries. */
export type Owed = ThreadWrites & { upTo: number; version: number };

type Row = { seq: number; kind: "message" | "change"; payload: string | null };

export class Journal {
  /** The last entry D1 has, and the copy of the conversation it has. */
  private progress: { seq: number; version: number };
  /** The last entry kept, and the copy of the conversation kept: what D1 is owed is the difference, known without a read. */
  private latest: { seq: number; version: number };

  constructor(
    private readonly sql: SqlStorage,
    private readonly kv: SyncKvStorage,
  ) {
    this.progress = kv.get<{ seq: number; version: number }>("flushed") ?? { seq: 0, version: 0 };
    this.makeSchema();
    const [last] = sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM journal").toArray();
    this.latest = { seq: last?.seq ?? this.progress.seq, version: kv.get<number>("viewVersion") ?? 0 };
  }

  /** The room wakes often (every message after a quiet spell, every presence check): the schema is made once. */
  private makeSchema(): void {
    const { sql, kv } = this;
    if (kv.get<number>("journalSchema") === JOURNAL_SCHEMA) return;
    sql.exec(`CREATE TABLE IF NOT EXISTS journal (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      message_id TEXT NOT NULL,
      channel TEXT,
      external_id TEXT,
      payload TEXT,
      at INTEGER NOT NULL)`);
    sql.exec("CREATE UNIQUE INDEX IF NOT EXISTS journal_message ON journal (message_id) WHERE kind = 'message'");
    sql.exec("CREATE UNIQUE INDEX IF NOT EXISTS journal_external ON journal (channel, external_id) WHERE kind = 'message' AND external_id IS NOT NULL");
    sql.exec("CREATE INDEX IF NOT EXISTS journal_whole ON journal (seq) WHERE kind = 'message' AND payload IS NOT NULL");
    kv.put("journalSchema", JOURNAL_SCHEMA);
  }

  /** The stored message with this id or provider id: whole, `{ id }` once trimmed, or null. */
  find(message: Pick<Message, "id" | "channel" | "externalId">): Message | { id: string } | null {
    const select = "SELECT message_id, payload FROM journal WHERE kind = 'message' AND";
    type Found = { message_id: string; payload: string | null };
    const [row] = [
      ...this.sql.exec<Found>(`${select} message_id = ?`, message.id),
      ...(message.externalId ? this.sql.exec<Found>(`${select} channel = ? AND external_id = ?`, message.channel, message.externalId) : []),
    ];
    if (!row) return null;
    return row.payload ? (JSON.parse(row.payload) as Message) : { id: row.message_id };
  }

  /**
   * Keeps a new message and the conversation as it now is. `opensThread`: the conversation had no
   * message before, so from here on the journal holds the whole thread.
   */
  append(message: Message, conversation: ConversationView, opensThread: boolean): number {
    if (opensThread) this.kv.put("wholeThread", true);
    const [row] = this.sql
      .exec<{ seq: number }>(
        "INSERT INTO journal (kind, message_id, channel, external_id, payload, at) VALUES ('message', ?, ?, ?, ?, ?) RETURNING seq",
        message.id,
        message.channel,
        message.externalId,
        JSON.stringify(message),
        message.createdAt,
      )
      .toArray();
    this.latest.seq = row!.seq;
    this.setConversation(conversation);
    return row!.seq;
  }

  /** Keeps a message D1 already has with the conversation as it now is: nothing more is owed for it, unless for what came before. */
  appendWritten(message: Message, conversation: ConversationView, opensThread: boolean): void {
    const owedBefore = this.owes();
    const seq = this.append(message, conversation, opensThread);
    if (!owedBefore) this.markWritten(seq, this.latest.version);
  }

  /** Keeps a change to `current` (the message as the room knows it), and to its copy if the journal holds it whole; returns it changed. */
  change(change: MessageChange, current: Message): Message {
    const changed = applyChange(current, change);
    // Kept as it applied (a provider's id may come with a status the reply has passed), so D1 gets the same.
    const applied: MessageChange = { ...change, status: changed.status!, statusReason: changed.statusReason };
    const [entry] = this.sql
      .exec<{ seq: number }>("INSERT INTO journal (kind, message_id, payload, at) VALUES ('change', ?, ?, ?) RETURNING seq", change.id, JSON.stringify(applied), Date.now())
      .toArray();
    this.latest.seq = entry!.seq;
    this.sql.exec("UPDATE journal SET payload = ? WHERE kind = 'message' AND message_id = ? AND payload IS NOT NULL", JSON.stringify(changed), change.id);
    return changed;
  }

  /** The message with this id, if the journal holds it whole. */
  message(id: string): Message | null {
    const [row] = this.sql.exec<{ payload: string | null }>("SELECT payload FROM journal WHERE kind = 'message' AND message_id = ?", id).toArray();
    return row?.payload ? (JSON.parse(row.payload) as Message) : null;
  }

  /** The person's data gone from every message the room holds: bodies and meta emptied, their name off what they wrote. */
  erase(erasedMeta: Record<string, unknown>): void {
    this.sql.exec(
      `UPDATE journal SET payload = json_set(payload, '$.body', '', '$.meta', json(?),
         '$.authorName', CASE WHEN json_extract(payload, '$.authorType') = 'contact' THEN NULL ELSE json_extract(payload, '$.authorName') END,
         '$.authorId', CASE WHEN json_extract(payload, '$.authorType') = 'contact' THEN NULL ELSE json_extract(payload, '$.authorId') END)
       WHERE kind = 'message' AND payload IS NOT NULL`,
      JSON.stringify(erasedMeta),
    );
  }

  conversation(): ConversationView | null {
    return this.kv.get<ConversationView>("view") ?? null;
  }

  /** The conversation as D1 has it, when the room first needs it: nothing is owed for it. */
  adoptConversation(view: ConversationView): void {
    this.kv.put("view", view);
  }

  /** The conversation as the inbox shows it; D1 is owed it until the outbox writes it. */
  setConversation(view: ConversationView): void {
    this.kv.put("view", view);
    this.kv.put("viewVersion", ++this.latest.version);
  }

  /** Whether D1 lacks anything this room holds. */
  owes(): boolean {
    return this.latest.seq > this.progress.seq || this.latest.version !== this.progress.version;
  }

  /** The oldest `limit` entries D1 lacks, in the order they happened, and the conversation if D1 lacks it. */
  owed(limit: number): Owed {
    const rows = this.sql.exec<Row>("SELECT seq, kind, payload FROM journal WHERE seq > ? ORDER BY seq LIMIT ?", this.progress.seq, limit).toArray();
    const version = this.latest.version;
    const view = this.conversation();
    return {
      upTo: rows.length ? rows[rows.length - 1]!.seq : this.progress.seq,
      messages: rows.filter((r) => r.kind === "message").map((r) => JSON.parse(r.payload!) as Message),
      changes: rows.filter((r) => r.kind === "change").map((r) => JSON.parse(r.payload!) as MessageChange),
      conversation: view && version !== this.progress.version ? view : null,
      version,
    };
  }

  /** D1 has everything in `owed`: noted, and what replay and resends no longer need is trimmed. */
  settled(owed: Owed): void {
    const before = this.progress.seq;
    this.markWritten(owed.upTo, owed.conversation ? owed.version : this.progress.version);
    if (owed.changes.length) this.sql.exec("DELETE FROM journal WHERE kind = 'change' AND seq <= ?", owed.upTo);
    // Looked at once every TRIM_STEP entries, not after every write.
    if (Math.floor(before / TRIM_STEP) !== Math.floor(owed.upTo / TRIM_STEP)) this.trim();
  }

  private markWritten(seq: number, version: number): void {
    this.progress = { seq, version };
    this.kv.put("flushed", this.progress);
  }

  private trim(): void {
    const flushed = this.progress.seq;
    const excess = this.heldWhole() - REPLAY_WINDOW;
    if (excess >= TRIM_STEP) {
      this.sql.exec(
        `UPDATE journal SET payload = NULL WHERE seq IN (
           SELECT seq FROM journal WHERE kind = 'message' AND payload IS NOT NULL AND seq <= ? ORDER BY seq LIMIT ?)`,
        flushed,
        excess,
      );
      this.kv.delete("wholeThread");
    }
    const now = Date.now();
    if (now - (this.kv.get<number>("prunedAt") ?? 0) >= PRUNE_EVERY_MS) {
      this.sql.exec("DELETE FROM journal WHERE seq <= ? AND payload IS NULL AND at < ?", flushed, now - DEDUPE_KEPT_MS);
      this.kv.put("prunedAt", now);
    }
  }

  /**
   * Every message after `afterId`, oldest first, when the journal holds all of them (it holds
   * `afterId` whole); null when only D1 can say. `shown` filters what the reader may see.
   */
  since(afterId: string, shown: (m: Message) => boolean): Message[] | null {
    const [mark] = this.sql.exec<{ seq: number }>("SELECT seq FROM journal WHERE kind = 'message' AND message_id = ? AND payload IS NOT NULL", afterId).toArray();
    if (!mark) return null;
    return this.held("seq > ?", mark.seq).filter(shown);
  }

  /** The newest `limit` messages the reader may see, when the journal holds that many whole (or the whole thread); else null. */
  newest(limit: number, shown: (m: Message) => boolean): Message[] | null {
    const held = this.held("payload IS NOT NULL").filter(shown);
    if (held.length < limit && !this.kv.get<boolean>("wholeThread")) return null;
    return held.slice(-limit);
  }

  /** Messages D1 does not have yet, oldest first. */
  unflushed(): Message[] {
    return this.held("seq > ?", this.progress.seq);
  }

  private held(where: string, ...bindings: SqlStorageValue[]): Message[] {
    return this.sql
      .exec<{ payload: string }>(`SELECT payload FROM journal WHERE kind = 'message' AND payload IS NOT NULL AND ${where} ORDER BY seq`, ...bindings)
      .toArray()
      .map((r) => JSON.parse(r.payload) as Message)
      .sort(byThreadOrder);
  }

  /** How many messages are held whole (read through the journal_whole index). */
  private heldWhole(): number {
    const [row] = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM journal WHERE kind = 'message' AND payload IS NOT NULL").toArray();
    return row?.n ?? 0;
  }
}
