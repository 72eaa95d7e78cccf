// Mail built to run into the platform's limits (D1's 100 bound parameters and 2 MB rows, R2's
// small custom metadata), and storage failing halfway through a mail: every such mail is stored,
// with a note on what could not be kept as sent, or refused with a reason. No file stays in R2
// without the message it came with.
import { env } from "cloudflare:test";
import PostalMime from "postal-mime";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, call, type Session } from "./helpers";
import type { User } from "../src/db/schema";
import { sendReply } from "../src/domain/replies";
import { bucketFailingPut, roomsFailingToStore, deliver, deliverFixture, INBOUND, mail, watchOutbox } from "./mail";

let owner: Session;
beforeAll(async () => {
  owner = await admin();
  await call("PUT", "/api/settings", { as: owner, body: { email: { inboundAddress: INBOUND, fromName: "Acme Support" } } });
});

const receive = (raw: string, envelope: { from?: string; to?: string } = {}) => deliverFixture(owner, raw, envelope);
const tokenOf = async (conversationId: string) => (await env.DB.prepare("SELECT reply_token FROM conversations WHERE id = ?").bind(conversationId).first<{ reply_token: string }>())!.reply_token;
const messageCount = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM messages").first<{ n: number }>())!.n;
const storedFiles = async () => (await env.ATTACHMENTS.list({ prefix: "attachments/" })).objects.length;
const fakeToken = (i: number) => `f${String(i).padStart(11, "0")}`;

function withFiles(opts: { from: string; names: string[] }) {
  const parts = opts.names.map((name, i) => ["--files", `Content-Type: application/pdf; name="${name}"`, `Content-Disposition: attachment; filename="${name}"`, "", `%PDF-1.7 file ${i}`].join("\n"));
  return mail({
    from: opts.from,
    headers: { "Content-Type": 'multipart/mixed; boundary="files"' },
    body: ["--files", "Content-Type: text/plain", "", "The files are attached.", ...parts, "--files--"].join("\n"),
  });
}

describe("a mail naming more addresses and Message-IDs than one statement can bind", () => {
  it("a reply sent to over a hundred reply+ addresses still continues the one conversation that is real", async () => {
    const start = await receive(mail({ from: "ada@example.com", subject: "Warranty" }));
    const real = `reply+${await tokenOf(start.conversation.id)}@parley.test`;
    const fakes = Array.from({ length: 99 }, (_, i) => `reply+${fakeToken(i)}@parley.test`);
    const reply = await receive(mail({ from: "ada@example.com", headers: { To: fakes.slice(0, 50).join(", "), Cc: [...fakes.slice(50), real].join(", ") } }));
    expect(reply.delivery.rejected).toBeNull();
    expect(reply.conversation.id).toBe(start.conversation.id);
    expect(reply.message.meta.threadedBy).toBe("reply-address");
  });

  it("a mail to over a hundred reply+ addresses that are none of ours opens a new conversation", async () => {
    const fakes = Array.from({ length: 120 }, (_, i) => `reply+${fakeToken(1000 + i)}@parley.test`);
    const { delivery, message, conversation } = await receive(mail({ from: "bo@example.com", headers: { To: fakes.slice(0, 60).join(", "), Cc: fakes.slice(60).join(", ") } }), { to: fakes[0] });
    expect(delivery.rejected).toBeNull();
    expect(conversation.contact.email).toBe("bo@example.com");
    expect(message.meta.threadedBy).toBeUndefined();
  });

  it("a reply naming hundreds of Message-IDs threads through the one Parley knows, even when that is the thread's root", async () => {
    const start = await receive(mail({ from: "cy@example.com", messageId: "cy-root@mail.example.com" }));
    const unknown = (what: string) => Array.from({ length: 300 }, (_, i) => `<${what}-${i}@elsewhere.example>`).join(" ");
    const reply = await receive(mail({ from: "cy@example.com", headers: { "In-Reply-To": unknown("answer"), References: `<cy-root@mail.example.com> ${unknown("thread")}` } }));
    expect(reply.delivery.rejected).toBeNull();
    expect(reply.conversation.id).toBe(start.conversation.id);
    expect(reply.message.meta.threadedBy).toBe("references");

    const stranger = await receive(mail({ from: "cy@example.com", headers: { "In-Reply-To": unknown("other"), References: unknown("more") } }));
    expect(stranger.conversation.id).not.toBe(start.conversation.id);
  });
});

describe("attachment names", () => {
  it("a 9,000-character file name is cut to a bounded one that keeps its extension, in R2, in D1 and in the download", async () => {
    const long = `${"quarterly-report-".repeat(530)}final.pdf`;
    expect(long.length).toBeGreaterThan(9000);
    const { delivery, message } = await receive(withFiles({ from: "dee@example.com", names: [long] }));
    expect(delivery.rejected).toBeNull();
    const [file] = message.meta.attachments;
    expect(file.filename.length).toBeLessThanOrEqual(200);
    expect(file.filename.startsWith("quarterly-report-quarterly-report-")).toBe(true);
    expect(file.filename.endsWith(".pdf")).toBe(true);

    const row = await env.DB.prepare("SELECT filename, storage_key FROM attachments WHERE id = ?").bind(file.id).first<{ filename: string; storage_key: string }>();
    expect(row!.filename).toBe(file.filename);
    expect((await env.ATTACHMENTS.head(row!.storage_key))!.customMetadata).toEqual({ filename: file.filename });
    const download = await call("GET", `/api/attachments/${file.id}`, { as: owner });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")!.length).toBeLessThan(1000);
  });

  it("a long name of emoji is cut between characters, never inside one, so the download can still name it", async () => {
    const { message } = await receive(withFiles({ from: "dee@example.com", names: [`${"😀".repeat(250)}.txt`] }));
    const [file] = message.meta.attachments;
    expect([...file.filename].length).toBeLessThanOrEqual(200);
    expect(file.filename.endsWith("😀….txt")).toBe(true);
    expect((await call("GET", `/api/attachments/${file.id}`, { as: owner })).status).toBe(200);
  });
});

describe("storage failing halfway through a mail", () => {
  it("when one of several files cannot be kept, the mail is stored with the others and a note naming the one lost", async () => {
    const raw = withFiles({ from: "eli@example.com", names: ["one.pdf", "two.pdf", "three.pdf"] });
    const before = await messageCount();
    const delivery = await deliver(raw, {}, { ATTACHMENTS: bucketFailingPut(2) });
    expect(delivery.rejected).toBeNull();
    expect(await messageCount()).toBe(before + 1);
    const row = await env.DB.prepare("SELECT meta FROM messages ORDER BY id DESC LIMIT 1").first<{ meta: string }>();
    const meta = JSON.parse(row!.meta);
    expect(meta.attachments.map((a: { filename: string }) => a.filename)).toEqual(["one.pdf", "three.pdf"]);
    expect(meta.problems).toEqual([expect.stringMatching(/two\.pdf.*could not be kept/)]);
    for (const file of meta.attachments) expect((await call("GET", `/api/attachments/${file.id}`, { as: owner })).status).toBe(200);
  });

  it("when the message cannot be stored after its files were, the files are removed and the mail is refused with a reason", async () => {
    const raw = withFiles({ from: "fay@example.com", names: ["a.pdf", "b.pdf"] });
    const [messagesBefore, filesBefore] = [await messageCount(), await storedFiles()];
    const delivery = await deliver(raw, {}, { ROOMS: roomsFailingToStore() });
    expect(delivery.rejected).toMatch(/could not be stored.*again later/i);
    expect(await messageCount()).toBe(messagesBefore);
    expect(await storedFiles()).toBe(filesBefore);

    // Sent again once storage is back, it is stored like any mail.
    const again = await receive(raw);
    expect(again.message.meta.attachments).toHaveLength(2);
  });
});

const unreachableInbox = {
  get: () => ({ publish: () => Promise.reject(new Error("Durable Object reset because its code was updated")) }),
  idFromName: () => ({}),
} as unknown as typeof env.INBOX;

describe("the live inbox failing as a mail is stored", () => {
  it("an agent's email reply is sent once and reported sent, so nobody sends it again", async () => {
    const first = await receive(mail({ from: "hal@example.com" }));
    const agentRow = (await env.DB.prepare("SELECT * FROM users LIMIT 1").first<Record<string, unknown>>())!;
    const agent = { id: agentRow.id, name: agentRow.name, email: agentRow.email, role: agentRow.role } as unknown as User;
    const outbox = watchOutbox();
    try {
      const sent = await sendReply({ ...env, INBOX: unreachableInbox }, { conversationId: first.conversation.id, channel: "email", body: "On its way.", agent });
      expect(sent.status).toBe("sent");
      expect(outbox.sent).toHaveLength(1);
    } finally {
      outbox.restore();
    }
  });

  it("the mail stays stored with its files and is not refused: agents see it when their inbox resyncs", async () => {
    const raw = withFiles({ from: "gia@example.com", names: ["c.pdf"] });
    const delivery = await deliver(raw, {}, { INBOX: unreachableInbox });
    expect(delivery.rejected).toBeNull();
    const row = await env.DB.prepare("SELECT meta FROM messages ORDER BY id DESC LIMIT 1").first<{ meta: string }>();
    const [file] = JSON.parse(row!.meta).attachments;
    expect(file.filename).toBe("c.pdf");
    expect((await call("GET", `/api/attachments/${file.id}`, { as: owner })).status).toBe(200);
  });
});

describe("what one message row holds", () => {
  it("a 2.5 MB reply is stored in a bounded row, with a note on what was cut, and the whole mail is kept in R2", async () => {
    const quote = Array.from({ length: 40_000 }, (_, i) => `> line ${i} of the long thread quoted below the reply, again and again`).join("\n");
    const body = `Sounds good, thank you.\n\nOn Sat, 21 Nov 2026 at 18:02, Acme Support <${INBOUND}> wrote:\n${quote}`;
    expect(body.length).toBeGreaterThan(2_500_000);
    const raw = mail({ from: "gus@example.com", body });
    const { delivery, message } = await receive(raw);
    expect(delivery.rejected).toBeNull();
    expect(message.body).toBe("Sounds good, thank you.");
    expect(message.meta.quoted.length).toBeLessThan(quote.length);
    expect(quote.startsWith(message.meta.quoted.slice(message.meta.quoted.indexOf("\n") + 1))).toBe(true);
    expect(message.meta.problems).toEqual([expect.stringMatching(/quoted text \(\d{7} characters.*original\.eml/)]);

    const row = await env.DB.prepare("SELECT length(CAST(body AS BLOB)) + length(CAST(meta AS BLOB)) AS bytes FROM messages WHERE id = ?").bind(message.id).first<{ bytes: number }>();
    expect(row!.bytes).toBeLessThan(1_000_000);

    const original = message.meta.attachments.find((a: { filename: string }) => a.filename === "original.eml");
    const download = await call("GET", `/api/attachments/${original.id}`, { as: owner });
    expect(download.json).toBe(raw);
    expect((await PostalMime.parse(download.json)).text!.replace(/\r\n/g, "\n")).toContain(quote);
  });
});

describe("who wrote, when the From address is longer than an address can be", () => {
  it("a 200 KB From makes no contact: the mail is filed under the envelope sender, with a short note", async () => {
    const huge = `${"a".repeat(200_000)}@example.com`;
    const { delivery, message, conversation } = await receive(mail({ from: `Huge <${huge}>` }), { from: "relay@sender.example" });
    expect(delivery.rejected).toBeNull();
    expect(conversation.contact.email).toBe("relay@sender.example");
    expect(message.meta.problems).toEqual(["The message has no usable From address; the sender was taken from the envelope sender."]);
    expect(JSON.stringify(message.meta).length).toBeLessThan(5_000);
  });

  it("an address past RFC 5321's limits (254 characters, 64 before the @) is no sender either", async () => {
    const longLocal = `${"b".repeat(65)}@example.com`;
    const longWhole = `c@${"d".repeat(250)}.example.com`;
    for (const address of [longLocal, longWhole]) {
      const { conversation } = await receive(mail({ from: address }), { from: "relay@sender.example" });
      expect(conversation.contact.email).toBe("relay@sender.example");
    }
    const limit = `${"e".repeat(64)}@${"f".repeat(177)}.example.com`;
    expect(limit.length).toBe(254);
    expect((await receive(mail({ from: limit }))).conversation.contact.email).toBe(limit);
  });
});
