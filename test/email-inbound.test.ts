// Mail arriving at the inbound address, as an agent sees it in the inbox: who it is from, which
// conversation it continues, what the person wrote, what came with it.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, agent, call, type Session } from "./helpers";
import { authenticatedAs, deliver, deliverFixture, INBOUND, mail, watchOutbox } from "./mail";

let owner: Session;
beforeAll(async () => {
  owner = await admin();
  await call("PUT", "/api/settings", { as: owner, body: { email: { inboundAddress: INBOUND, fromName: "Acme Support" } } });
});

const receive = (raw: string, envelope?: { from?: string; to?: string }) => deliverFixture(owner, raw, envelope ?? {});
const messageCount = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM messages").first<{ n: number }>())!.n;

describe("who wrote", () => {
  it("an unknown address becomes a new contact, named from the display name, in a new conversation with the subject", async () => {
    const { message, conversation } = await receive(mail({ from: '"Ana Lima" <Ana.Lima@Example.com>', subject: "Where is order 1042?" }));
    expect(conversation.contact).toMatchObject({ firstName: "Ana", lastName: "Lima", email: "ana.lima@example.com" });
    expect(conversation.subject).toBe("Where is order 1042?");
    expect(conversation.status).toBe("open");
    expect(message).toMatchObject({ direction: "in", channel: "email", author: { type: "contact", name: "Ana Lima" } });
    expect(message.meta.email.subject).toBe("Where is order 1042?");
  });

  it("a known address is that contact; a fresh mail (no reply) opens a new conversation", async () => {
    const first = await receive(mail({ from: "Bruno Costa <bruno@example.com>", subject: "Invoice" }));
    const second = await receive(mail({ from: "bruno@example.com", subject: "Another question" }));
    expect(second.conversation.contact.id).toBe(first.conversation.contact.id);
    expect(second.conversation.id).not.toBe(first.conversation.id);
    expect(second.conversation.contact).toMatchObject({ firstName: "Bruno", lastName: "Costa" });
  });

  it('"Last, First" display names are split the right way round', async () => {
    const { conversation } = await receive(mail({ from: '"Sauder, Doug" <doug@example.org>' }));
    expect(conversation.contact).toMatchObject({ firstName: "Doug", lastName: "Sauder" });
  });
});

describe("which conversation a reply continues", () => {
  it("mail to the reply+<token>@ address goes to that conversation, whatever its subject and headers", async () => {
    const start = await receive(mail({ from: "carla@example.com", subject: "Refund" }));
    const token = (await env.DB.prepare("SELECT reply_token FROM conversations WHERE id = ?").bind(start.conversation.id).first<{ reply_token: string }>())!.reply_token;
    const reply = await receive(mail({ from: "carla@example.com", to: `reply+${token}@parley.test`, subject: "something else entirely" }), { to: `reply+${token}@parley.test` });
    expect(reply.conversation.id).toBe(start.conversation.id);
    expect(reply.message.meta.threadedBy).toBe("reply-address");
  });

  it("a reply whose In-Reply-To names a mail Parley stored continues its conversation", async () => {
    const start = await receive(mail({ from: "dora@example.com", messageId: "dora-1@mail.example.com" }));
    const reply = await receive(mail({ from: "dora@example.com", subject: "Re: Order 1042", headers: { "In-Reply-To": "<dora-1@mail.example.com>" } }));
    expect(reply.conversation.id).toBe(start.conversation.id);
    expect(reply.message.meta.threadedBy).toBe("references");
  });

  it("a client that rewrote In-Reply-To still threads through References", async () => {
    const start = await receive(mail({ from: "eva@example.com", messageId: "eva-1@mail.example.com" }));
    const reply = await receive(
      mail({
        from: "eva@example.com",
        subject: "Re: Order 1042",
        headers: { "In-Reply-To": "<rewritten-by-client@exchange.example>", References: "<unrelated@elsewhere.example> <eva-1@mail.example.com>" },
      }),
    );
    expect(reply.conversation.id).toBe(start.conversation.id);
  });

  it("a reply to Parley's own email reply continues the conversation through the Message-ID it was sent with", async () => {
    const start = await receive(mail({ from: "fabio@example.com" }));
    const outbox = watchOutbox();
    const sent = await call("POST", `/api/conversations/${start.conversation.id}/messages`, { as: owner, body: { channel: "email", body: "It ships today." } });
    outbox.restore();
    expect(sent.status).toBe(201);
    const reply = await receive(mail({ from: "fabio@example.com", subject: "Re: Order 1042", headers: { "In-Reply-To": outbox.sent[0]!.messageId! } }));
    expect(reply.conversation.id).toBe(start.conversation.id);
  });

  it("references to mail Parley never saw open a new conversation", async () => {
    const start = await receive(mail({ from: "gil@example.com" }));
    const other = await receive(mail({ from: "gil@example.com", headers: { "In-Reply-To": "<never-seen@elsewhere.example>", References: "<never-seen@elsewhere.example>" } }));
    expect(other.conversation.id).not.toBe(start.conversation.id);
    expect(other.message.meta.threadedBy).toBeUndefined();
  });

  it("a reply to a complete conversation reopens it", async () => {
    const start = await receive(mail({ from: "hana@example.com", messageId: "hana-1@mail.example.com" }));
    await call("POST", `/api/conversations/${start.conversation.id}/complete`, { as: owner });
    const reply = await receive(mail({ from: "hana@example.com", headers: { "In-Reply-To": "<hana-1@mail.example.com>" } }));
    expect(reply.conversation).toMatchObject({ id: start.conversation.id, status: "open", unread: true });
  });
});

describe("what the person wrote", () => {
  it("the thread shows their new text; the quoted earlier mail and the signature are one click away", async () => {
    const body = [
      "Thanks, that works for me.",
      "Could you send the invoice too?",
      "",
      "-- ",
      "Ines Moreira",
      "Head of Purchasing, Moreira Lda",
      "",
      "On Sat, 21 Nov 2026 at 18:02, Acme Support <support@parley.test> wrote:",
      "> Your order ships on Monday.",
      ">",
      "> Andy",
    ].join("\n");
    const { message } = await receive(mail({ from: "ines@example.com", body }));
    expect(message.body).toBe("Thanks, that works for me.\nCould you send the invoice too?");
    expect(message.meta.signature).toBe("--\nInes Moreira\nHead of Purchasing, Moreira Lda");
    expect(message.meta.quoted).toBe("On Sat, 21 Nov 2026 at 18:02, Acme Support <support@parley.test> wrote:\n> Your order ships on Monday.\n>\n> Andy");
    // The row holds each part once: no second copy of the whole text.
    expect(message.meta.fullText).toBeUndefined();
    expect((await call("GET", `/api/conversations/${message.conversationId}`, { as: owner })).json.preview).toBe("Thanks, that works for me. Could you send the invoice too?");
  });

  it("an Outlook reply: the original message block is the quote", async () => {
    const body = [
      "Yes, please go ahead.",
      "",
      "-----Original Message-----",
      "From: Acme Support <support@parley.test>",
      "Sent: Saturday, November 21, 2026 6:02 PM",
      "Subject: Order 1042",
      "",
      "Shall we replace it?",
    ].join("\n");
    const { message } = await receive(mail({ from: "joao@example.com", body }));
    expect(message.body).toBe("Yes, please go ahead.");
    expect(message.meta.quoted).toContain("Shall we replace it?");
  });

  it("an HTML-only mail is shown as readable text, links written out, markup and styles gone", async () => {
    const html =
      '<html><head><style>p{color:red}</style></head><body><p>Hello&nbsp;team,</p><p>The <b>tracking</b> page <a href="https://track.example/1042">says</a> &quot;lost&quot;.<br>Help?</p><blockquote>Your order shipped.</blockquote></body></html>';
    const { message } = await receive(mail({ from: "kim@example.com", headers: { "Content-Type": "text/html; charset=utf-8" }, body: html }));
    expect(message.body).toBe('Hello team,\n\nThe tracking page says (https://track.example/1042) "lost".\nHelp?');
    expect(message.meta.quoted).toBe("> Your order shipped.");
  });
});

describe("mail an agent forwards from their own mailbox", () => {
  let forwarder: string;
  beforeAll(async () => {
    await agent("Fiona Forward");
    forwarder = "fiona.forward@parley.test";
  });

  it("a Gmail-style forwarded block is filed under the original sender, with the agent's note kept", async () => {
    const body = [
      "Can we help this customer? She wrote to my own address.",
      "",
      "---------- Forwarded message ---------",
      "From: Lara Nunes <lara@example.com>",
      "Date: Sat, 21 Nov 2026 at 10:15",
      "Subject: Broken zipper",
      "To: Fiona Forward <fiona.forward@parley.test>",
      "",
      "Hi, the zipper on my bag broke after two days.",
    ].join("\n");
    const { message, conversation } = await receive(mail({ from: `Fiona Forward <${forwarder}>`, subject: "Fwd: Broken zipper", body, headers: authenticatedAs("parley.test") }));
    expect(conversation.contact).toMatchObject({ email: "lara@example.com", firstName: "Lara", lastName: "Nunes" });
    expect(conversation.subject).toBe("Broken zipper");
    expect(message.body).toBe("Hi, the zipper on my bag broke after two days.");
    expect(message.author.name).toBe("Lara Nunes");
    expect(message.meta.forwarded).toMatchObject({ by: { address: forwarder }, note: "Can we help this customer? She wrote to my own address." });
  });

  it("an Apple Mail forward with the original attached as message/rfc822 is filed under the original sender", async () => {
    const original = mail({ from: "Marta Sousa <marta@example.com>", subject: "Size exchange", messageId: "marta-1@mail.example.com", body: "Can I exchange the shoes for a size 39?" });
    const raw = [
      `ARC-Authentication-Results: ${authenticatedAs("parley.test")["ARC-Authentication-Results"]}`,
      `From: Fiona Forward <${forwarder}>`,
      `To: ${INBOUND}`,
      "Subject: Fwd: Size exchange",
      "Message-ID: <fwd-marta@parley.test>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="outer"',
      "",
      "--outer",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "See below.",
      "--outer",
      "Content-Type: message/rfc822",
      'Content-Disposition: attachment; filename="Size exchange.eml"',
      "",
      original.trimEnd(),
      "--outer--",
      "",
    ].join("\r\n");
    const { message, conversation } = await receive(raw);
    expect(conversation.contact).toMatchObject({ email: "marta@example.com", firstName: "Marta" });
    expect(message.body).toBe("Can I exchange the shoes for a size 39?");
    expect(message.meta.forwarded).toMatchObject({ note: "See below.", originalMessageId: "marta-1@mail.example.com" });
    expect(message.meta.attachments).toEqual([expect.objectContaining({ filename: "Size exchange.eml", contentType: "message/rfc822" })]);
  });

  it("a forward from an agent's address the receiving servers did not authenticate files nothing under anyone else", async () => {
    const body = ["Please refund her.", "", "---------- Forwarded message ---------", "From: Rita Reis <rita@example.com>", "Subject: Refund", "", "Refund me"].join("\n");
    const { conversation, message } = await receive(mail({ from: `Fiona Forward <${forwarder}>`, subject: "Fwd: Refund", body }));
    expect(conversation.contact.email).toBe(forwarder);
    expect(conversation.identityVerified).toBe(false);
    expect(message.meta.forwarded).toBeUndefined();
    expect((await call("GET", "/api/contacts?q=rita@example.com", { as: owner })).json.items).toEqual([]);
  });

  it("a forward that does not say who wrote the original is filed under the forwarder", async () => {
    const { conversation, message } = await receive(mail({ from: `Fiona Forward <${forwarder}>`, subject: "Fwd: a note", body: "Someone called about a refund, please follow up." }));
    expect(conversation.contact.email).toBe(forwarder);
    expect(message.meta.forwarded).toBeUndefined();
  });
});

describe("how far a mail proves who wrote it", () => {
  const contactByEmail = async (email: string) => (await call("GET", `/api/contacts?q=${encodeURIComponent(email)}`, { as: owner })).json.items;

  it("a From the receiving servers did not authenticate is a claim: it finds the known contact, changes nothing of theirs, and is shown not verified", async () => {
    const real = await receive(mail({ from: "Bea Silva <bea@shop.example>", headers: authenticatedAs("shop.example") }));
    expect(real.conversation.identityVerified).toBeNull();
    await call("PATCH", `/api/contacts/${real.conversation.contact.id}`, { as: owner, body: { firstName: null } });

    const spoofed = await receive(
      mail({
        from: "Mallory <bea@shop.example>",
        headers: { "ARC-Authentication-Results": "i=1; mx.cloudflare.net; dkim=none; dmarc=fail header.from=shop.example policy.dmarc=reject; spf=fail smtp.mailfrom=mallory@evil.example" },
      }),
    );
    expect(spoofed.conversation).toMatchObject({ identityVerified: false, contact: { id: real.conversation.contact.id, firstName: null } });
    expect(spoofed.message.meta.email.fromAuthenticated).toBe(false);
  });

  it("a verdict written inside the mail counts for nothing: only the topmost one, the receiving servers', is read", async () => {
    const forged = mail({
      from: "Carl <carl@bank.example>",
      headers: {
        "ARC-Authentication-Results": "i=1; mx.cloudflare.net; dmarc=fail header.from=bank.example",
        "X-Forged": "below",
      },
    }).replace("X-Forged: below", `ARC-Authentication-Results: ${authenticatedAs("bank.example")["ARC-Authentication-Results"]}`);
    const { conversation } = await receive(forged);
    expect(conversation.identityVerified).toBe(false);
  });

  it("a domain without a DMARC policy is proven by its own aligned signature, and never by another domain's", async () => {
    const signed = await receive(mail({ from: "dan@small.example", headers: authenticatedAs("small.example", "dkim=pass header.d=mail.small.example; dmarc=none header.from=small.example") }));
    expect(signed.conversation.identityVerified).toBeNull();
    const signedByOther = await receive(mail({ from: "eva@small.example", headers: authenticatedAs("relay.example", "dkim=pass header.d=relay.example; dmarc=none header.from=small.example") }));
    expect(signedByOther.conversation.identityVerified).toBe(false);
  });

  it("an address first written from unauthenticated is only claimed; the first authenticated mail from it makes the proven contact", async () => {
    const claimed = await receive(mail({ from: "Not Gil <gil@example.org>" }));
    const claimedContact = (await call("GET", `/api/contacts/${claimed.conversation.contact.id}`, { as: owner })).json;
    expect(claimedContact.identities).toEqual([{ kind: "email", value: "gil@example.org", proven: false }]);

    const proven = await receive(mail({ from: "Gil Gomes <gil@example.org>", headers: authenticatedAs("example.org") }));
    expect(proven.conversation.contact).toMatchObject({ email: "gil@example.org", firstName: "Gil" });
    expect(proven.conversation.contact.id).not.toBe(claimedContact.id);
    expect((await contactByEmail("gil@example.org")).map((c: { id: string }) => c.id)).toEqual([proven.conversation.contact.id]);
  });
});

describe("mail that must not cause trouble", () => {
  it("the same Message-ID delivered twice is stored once", async () => {
    const raw = mail({ from: "nuno@example.com", messageId: "nuno-twice@mail.example.com" });
    await receive(raw);
    const before = await messageCount();
    expect((await deliver(raw)).rejected).toBeNull();
    expect((await deliver(mail({ from: "nuno@example.com", messageId: "nuno-twice@mail.example.com", body: "retried by another relay" }))).rejected).toBeNull();
    expect(await messageCount()).toBe(before);
  });

  it("auto-replies, list mail and bounces are stored and marked, and nothing is sent back", async () => {
    const outbox = watchOutbox();
    const vacation = await receive(mail({ from: "olga@example.com", subject: "Out of office", headers: { "Auto-Submitted": "auto-replied" }, body: "I am away until Monday." }));
    const list = await receive(mail({ from: "news@shop.example", headers: { Precedence: "bulk" } }));
    const bounce = await receive(mail({ from: "Mail Delivery System <MAILER-DAEMON@mx.example>", subject: "Undelivered Mail", body: "Your message could not be delivered." }));
    const human = await receive(mail({ from: "paula@example.com", headers: { "Auto-Submitted": "no" } }));
    outbox.restore();
    expect(vacation.message.meta.automated).toEqual({ kind: "auto-reply", reason: "Auto-Submitted: auto-replied" });
    expect(list.message.meta.automated).toEqual({ kind: "bulk", reason: "Precedence: bulk" });
    expect(bounce.message.meta.automated).toEqual({ kind: "bounce", reason: "From: MAILER-DAEMON@mx.example" });
    expect(human.message.meta.automated).toBeUndefined();
    expect(vacation.message.body).toBe("I am away until Monday.");
    expect(outbox.sent).toEqual([]);
  });

  it("mail over 25 MiB is refused with a reason and nothing is stored", async () => {
    const before = await messageCount();
    const delivery = await deliver(mail({ from: "quim@example.com" }), { rawSize: 25 * 1024 * 1024 + 1 });
    expect(delivery.rejected).toMatch(/too large.*25 MiB/i);
    expect(await messageCount()).toBe(before);
  });

  it("a reply quoting a long thread keeps the start of the quote in the thread, and the whole mail as an attached file", async () => {
    const quote = Array.from({ length: 300 }, (_, i) => `> earlier line ${i} of the thread, quoted again`).join("\n");
    const raw = mail({ from: "quentin@example.com", body: `Yes, please go ahead.\n\nOn Sat, 21 Nov 2026 at 18:02, Acme Support <${INBOUND}> wrote:\n${quote}` });
    const { message } = await receive(raw);
    expect(message.body).toBe("Yes, please go ahead.");
    expect(message.meta.quoted.length).toBe(4_000);
    expect(message.meta.quoted).toMatch(/^On Sat, 21 Nov 2026 at 18:02, Acme Support/);
    expect(message.meta.problems).toEqual([expect.stringMatching(/the quoted text \(\d+ characters, the first 4000 kept\)\. The whole message is attached as original\.eml\./)]);
    const file = message.meta.attachments.find((a: { filename: string }) => a.filename === "original.eml");
    expect((await call("GET", `/api/attachments/${file.id}`, { as: owner })).json).toBe(raw);
  });

  it("a very long mail shows its start in the thread and keeps the whole mail as an attached file", async () => {
    const line = "This is a very long log pasted into a support mail, line number ";
    const text = Array.from({ length: 5000 }, (_, i) => `${line}${i}.`).join("\n");
    const raw = mail({ from: "long@example.com", body: text });
    const { message } = await receive(raw);
    expect(message.body.length).toBe(100_000);
    expect(text.startsWith(message.body)).toBe(true);
    expect(message.meta.problems).toEqual([
      `Parts of the message were too long to keep here in full: the text (${text.length} characters, the first 100000 kept). The whole message is attached as original.eml.`,
    ]);
    const file = message.meta.attachments.find((a: { filename: string }) => a.filename === "original.eml");
    const download = await call("GET", `/api/attachments/${file.id}`, { as: owner });
    expect(download.json).toBe(raw);
  });

  it("mail built to make text handling go quadratic (unclosed tags, huge runs of spaces) is stored like any other", async () => {
    const html = `<p>Hello</p>${'<a href="x'.repeat(40_000)}${" ".repeat(300_000)}<p>end</p>`;
    const { message } = await receive(mail({ from: "mallory@example.com", headers: { "Content-Type": "text/html; charset=utf-8" }, body: html }));
    expect(message.body.startsWith("Hello")).toBe(true);
    const text = `Hi${" ".repeat(100_000)}there\n${"On ".repeat(20_000)}wrote:\n> quoted`;
    const plain = await receive(mail({ from: "mallory@example.com", body: text }));
    expect(plain.message.body.startsWith("Hi")).toBe(true);
    expect(plain.message.meta.quoted).toBe("> quoted");
  });

  it("a mail with no From at all is filed under the Sender header, and the message says so", async () => {
    const raw = mail({ from: "x", headers: { Sender: "Rita Reis <rita@example.com>" } }).replace("From: x\r\n", "");
    const { conversation, message } = await receive(raw);
    expect(conversation.contact.email).toBe("rita@example.com");
    expect(message.meta.email.fromSource).toBe("sender");
    expect(message.meta.problems).toEqual(["The message has no usable From address; the sender was taken from the Sender header."]);
  });
});

describe("attachments", () => {
  const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x00, 0xff, 0x80]);
  const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
  const withFiles = mail({
    from: "sara@example.com",
    messageId: "sara-files@mail.example.com",
    headers: { "Content-Type": 'multipart/mixed; boundary="b1"' },
    body: [
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "The receipt and a photo are attached.",
      "--b1",
      'Content-Type: application/pdf; name="receipt ñ.pdf"',
      "Content-Transfer-Encoding: base64",
      "Content-Disposition: attachment; filename*=UTF-8''receipt%20%C3%B1.pdf",
      "",
      b64(pdf),
      "--b1",
      "Content-Type: image/png",
      "Content-Transfer-Encoding: base64",
      "Content-Disposition: inline",
      "Content-ID: <photo1>",
      "",
      b64(new Uint8Array([0x89, 0x50, 0x4e, 0x47])),
      "--b1--",
    ].join("\n"),
  });

  it("are kept, listed on the message, and served as downloads to signed-in agents only", async () => {
    const { message } = await receive(withFiles);
    expect(message.body).toBe("The receipt and a photo are attached.");
    const [receipt, photo] = message.meta.attachments;
    expect(receipt).toMatchObject({ filename: "receipt ñ.pdf", contentType: "application/pdf", size: pdf.byteLength });
    expect(photo).toMatchObject({ filename: "attachment-2.png", contentType: "image/png", size: 4, inline: true });

    const download = await call("GET", `/api/attachments/${receipt.id}`, { as: await agent("Andy Agent") });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="receipt _.pdf"; filename*=UTF-8''receipt%20%C3%B1.pdf`);
    const bytes = await exports.default.fetch(`https://parley.test/api/attachments/${receipt.id}`, {
      headers: { cookie: (await agent("Andy Agent")).cookie! },
    });
    expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(pdf);

    expect((await call("GET", `/api/attachments/${receipt.id}`)).status).toBe(401);
    expect((await call("GET", "/api/attachments/no-such-file", { as: owner })).status).toBe(404);
  });

  it("beyond a hundred in one mail, the first hundred are listed and the whole mail is kept beside them", async () => {
    const parts = Array.from({ length: 120 }, (_, i) => [`--many`, `Content-Type: text/plain; name="note-${i}.txt"`, "Content-Disposition: attachment", "", `note ${i}`].join("\n"));
    const raw = mail({
      from: "tia@example.com",
      headers: { "Content-Type": 'multipart/mixed; boundary="many"' },
      body: ["--many", "Content-Type: text/plain", "", "Lots of notes.", ...parts, "--many--"].join("\n"),
    });
    const { message } = await receive(raw);
    expect(message.meta.attachments).toHaveLength(101);
    expect(message.meta.attachments[99].filename).toBe("note-99.txt");
    expect(message.meta.attachments[100]).toMatchObject({ filename: "original.eml", contentType: "message/rfc822" });
    expect(message.meta.problems).toEqual([expect.stringContaining("120 attachments")]);
  });

  it("of a redelivered mail are not kept twice", async () => {
    const objects = async () => (await env.ATTACHMENTS.list({ prefix: "attachments/" })).objects.length;
    const before = await objects();
    expect((await deliver(withFiles)).rejected).toBeNull();
    expect(await objects()).toBe(before);
  });
});
