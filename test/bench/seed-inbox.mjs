// Bulk data for the inbox bench, written straight into a local D1 SQLite file whose tables the
// app's migrations created. Conversation i (with its contact, identities, channels and ten
// messages) is the same in every run and at every size: the 10k inbox is the first tenth of the 100k one.
import { DatabaseSync } from "node:sqlite";

const DAY = 86_400_000;
const FIRST = [
  "Ana",
  "Ben",
  "Chloé",
  "David",
  "Emma",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "Jonas",
  "Kemi",
  "Liam",
  "Maya",
  "Noah",
  "Olga",
  "Priya",
  "Quinn",
  "Rosa",
  "Sam",
  "Tariq",
  "Uma",
  "Vera",
  "Wei",
  "Yara",
  "Zoe",
];
const LAST = [
  "Alvarez",
  "Brown",
  "Chen",
  "Dubois",
  "Evans",
  "Fischer",
  "García",
  "Haddad",
  "Ito",
  "Jensen",
  "Kowalski",
  "López",
  "Müller",
  "Nguyen",
  "O'Brien",
  "Patel",
  "Rossi",
  "Silva",
  "Tanaka",
  "Usman",
  "Virtanen",
  "Walker",
  "Xu",
  "Yilmaz",
  "Zhang",
];
const DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "acme.io", "northwind.com"];
const ACCOUNTS = ["Acme Inc", "Northwind", "Globex", "Initech", "Umbrella"];
const US_AREAS = [201, 206, 212, 213, 303, 305, 312, 404, 415, 469, 503, 512, 602, 617, 646, 702, 718, 773, 808, 917];
const INBOUND = [
  "Hi, I ordered last week and the tracking page still says label created. Can you check order #{n}?",
  "Is the blue one back in stock? I'd like two in size M.",
  "My invoice shows a charge twice this month, could you look into it please?",
  "Thanks, that worked!",
  "How do I change the email address on my account?",
  "Can I return something I bought {n} days ago without the box?",
  "The app logs me out every time I open it on my phone.",
  "Do you ship to Canada? And how long does it usually take?",
];
const OUTBOUND = [
  "Thanks for reaching out! Let me check that for you.",
  "I've refunded the duplicate charge; you'll see it in 3-5 business days.",
  "Your order #{n} left our warehouse this morning, here is the tracking link.",
  "Yes, we ship to Canada. Delivery takes 5-8 business days.",
  "Could you send me a screenshot of what you see?",
  "Happy to help. Anything else I can do for you today?",
];
const CHANNELS = ["chat", "chat", "chat", "chat", "email", "email", "email", "messenger", "messenger", "sms"];

/** A small deterministic generator: the same index always gives the same row. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (r, list) => list[Math.floor(r() * list.length)];
const token = (r, n) => Array.from({ length: n }, () => "0123456789abcdefghijklmnopqrstuvwxyz"[Math.floor(r() * 36)]).join("");
// Ids shaped like src/domain/ids.ts newId: time in base 36, a sequence, random letters.
const idAt = (r, time, seq) => time.toString(36).padStart(9, "0") + seq.toString(36).padStart(3, "0") + token(r, 6);

const anonymous = (i) => i % 13 === 5;
/** About one conversation in ten is a returning person: it belongs to the contact of conversation i - 9. */
const ownerIndex = (i) => (i % 10 === 9 && i >= 9 && !anonymous(i - 9) ? i - 9 : i);

/** E.164: mostly US numbers, some UK mobiles, unique per contact index. */
function phoneOf(i) {
  if (i % 7 === 3) return `+447${String(700000000 + i).slice(-9)}`;
  const area = US_AREAS[i % US_AREAS.length];
  const exchange = 234 + (Math.floor(i / 10_000) % 600);
  return `+1${area}${exchange}${String(i % 10_000).padStart(4, "0")}`;
}

function contactRow(i, now) {
  const r = rng(i * 7919 + 1);
  const first = pick(r, FIRST);
  const last = pick(r, LAST);
  const created = now - Math.floor(r() * 400 * DAY);
  return {
    id: idAt(r, created, i % 46656),
    row: [
      null, // id, filled below
      first,
      last,
      `${first}.${last}${i}@${pick(r, DOMAINS)}`.toLowerCase().replace(/[^a-z0-9.@]/g, ""),
      r() < 0.7 ? phoneOf(i) : null,
      r() < 0.3 ? pick(r, ACCOUNTS) : null,
      r() < 0.1 ? '["vip"]' : "[]",
      r() < 0.2 ? 1 : 0,
      created,
      created,
    ],
  };
}

function fill(template, r) {
  return template.replace("{n}", String(1000 + Math.floor(r() * 90000)));
}

/** Fills an empty inbox with `conversations` conversations and their contacts, identities, channels and messages. */
export function seedInbox(file, { conversations, now }) {
  const db = new DatabaseSync(file);
  db.exec("PRAGMA synchronous = OFF");
  // Ids are time-ordered and the times spread, so rows land all over the tables: keep them in memory.
  db.exec("PRAGMA cache_size = -1000000");
  const tables = {
    contacts: ["id", "first_name", "last_name", "email", "phone", "account", "tags", "marketing_consent", "created_at", "updated_at"],
    identities: ["kind", "value", "contact_id", "created_at"],
    conversations: [
      "id",
      "contact_id",
      "party",
      "status",
      "unread",
      "unread_count",
      "assignee_id",
      "channels",
      "subject",
      "preview",
      "reply_token",
      "identity_verified",
      "visitor_online",
      "last_message_at",
      "created_at",
    ],
    conversation_channels: ["conversation_id", "channel", "last_message_at"],
    messages: ["id", "conversation_id", "direction", "channel", "body", "author_type", "author_id", "author_name", "external_id", "status", "status_reason", "meta", "created_at"],
  };
  const writers = Object.fromEntries(Object.entries(tables).map(([name, columns]) => [name, bulkWriter(db, name, columns)]));
  const contactIds = new Map();

  // Rows of one conversation go to several batches: the keys are checked once, before COMMIT.
  db.exec("PRAGMA foreign_keys = OFF");
  db.exec("BEGIN");
  // Rows arrive in no index's order: building the migrations' indexes once at the end is far
  // quicker than keeping them up to date row by row.
  const indexes = db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${Object.keys(tables)
        .map(() => "?")
        .join(", ")})`,
    )
    .all(...Object.keys(tables));
  for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
  try {
    for (let i = 0; i < conversations; i++) {
      const r = rng(i * 104729 + 7);
      const owner = anonymous(i) ? null : ownerIndex(i);
      if (owner === i) {
        const { id, row } = contactRow(i, now);
        row[0] = id;
        contactIds.set(i, id);
        writers.contacts.add(row);
        writers.identities.add(["email", row[3], id, row[8]]);
        if (row[4]) writers.identities.add(["phone", row[4], id, row[8]]);
      }
      const contactId = owner === null ? null : contactIds.get(owner);
      const first = pick(r, CHANNELS);
      const channels = r() < 0.15 ? [...new Set([first, pick(r, CHANNELS)])] : [first];
      const createdAt = now - Math.floor(r() * 365 * DAY);
      const id = idAt(r, createdAt, i % 46656);
      const open = r() < 0.2;
      const unread = open && r() < 0.5;
      const subject = channels.includes("email") ? `Order #${1000 + (i % 90000)}` : null;
      let at = createdAt;
      let body = "";
      for (let m = 0; m < 10; m++) {
        at += Math.floor(r() * 6 * 3_600_000) + 1000;
        const inbound = m % 2 === 0;
        const channel = channels[m % channels.length];
        body = fill(inbound ? pick(r, INBOUND) : pick(r, OUTBOUND), r);
        const messageId = idAt(r, at, m);
        writers.messages.add([
          messageId,
          id,
          inbound ? "in" : "out",
          channel,
          body,
          inbound ? "contact" : "agent",
          null,
          inbound ? null : "Support",
          channel === "chat" && !inbound ? null : `${channel}-${messageId}`,
          inbound ? null : pick(r, ["sent", "delivered"]),
          null,
          channel === "email" ? JSON.stringify({ subject }) : "{}",
          at,
        ]);
      }
      writers.conversations.add([
        id,
        contactId,
        contactId ? null : `visitor:${token(r, 12)}`,
        open ? "open" : "complete",
        unread ? 1 : 0,
        unread ? 1 + Math.floor(r() * 3) : 0,
        null,
        JSON.stringify(channels),
        subject,
        body.length > 140 ? `${body.slice(0, 139)}…` : body,
        token(r, 20),
        null,
        0,
        at,
        createdAt,
      ]);
      for (const channel of channels) writers.conversation_channels.add([id, channel, at]);
    }
    for (const writer of Object.values(writers)) writer.flush();
    for (const { sql } of indexes) db.exec(sql);
    const broken = db.prepare("PRAGMA foreign_key_check").all();
    if (broken.length) throw new Error(`Seeded rows point at missing rows: ${JSON.stringify(broken.slice(0, 3))}`);
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  } finally {
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    db.close();
  }
}

/** Multi-row INSERTs of up to 500 rows each: one statement prepared per batch size. */
function bulkWriter(db, table, columns) {
  const BATCH = 500;
  const one = `(${columns.map(() => "?").join(", ")})`;
  const statements = new Map();
  const statementFor = (rows) => {
    if (!statements.has(rows)) {
      statements.set(rows, db.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${Array(rows).fill(one).join(", ")}`));
    }
    return statements.get(rows);
  };
  let pending = [];
  const flush = () => {
    if (pending.length) statementFor(pending.length / columns.length).run(...pending);
    pending = [];
  };
  return {
    add(row) {
      pending.push(...row);
      if (pending.length >= BATCH * columns.length) flush();
    },
    flush,
  };
}
