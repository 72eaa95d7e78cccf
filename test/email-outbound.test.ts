// An agent answering by email, as the customer's mail client receives it: from the inbound address
// with the agent's name, Reply-To reply+<token>@, In-Reply-To and References that thread in Gmail,
// Outlook and Apple Mail. The send_email binding is watched where the Worker calls it.
import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { admin, agent, call, type Session } from "./helpers";
import { from, receive } from "./inbound";
import { deliverFixture, INBOUND, mail, watchOutbox, type StoredMail } from "./mail";

let owner: Session;
let andy: Session;
let outbox: ReturnType<typeof watchOutbox>;
beforeAll(async () => {
  owner = await admin();
  andy = await agent("Andy Agent");
  await call("PUT", "/api/settings", { as: owner, body: { email: { inboundAddress: INBOUND, fromName: "Acme Support" } } });
});
afterEach(() => outbox?.restore());

const reply = (conversationId: string, body: string, channel: string | undefined = "email") => call("POST", `/api/conversations/${conversationId}/messages`, { as: andy, body: { channel, body } });
const tokenOf = async (conversationId: string) => (await env.DB.prepare("SELECT reply_token FROM conversations WHERE id = ?").bind(conversationId).first<{ reply_token: string }>())!.reply_token;
const bare = (messageId: string | null) => messageId!.replace(/^<|>$/g, "");
const messageCount = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM messages").first<{ n: number }>())!.n;

describe("replying to an email", () => {
  it("goes out from the inbound address with the agent's name, Reply-To that threads back, and RFC 5322 threading headers", async () => {
    const first = await deliverFixture(
      owner,
      mail({ from: "Ana Lima <ana@example.com>", subject: "Order 1042", messageId: "ana-1@mail.example.com", headers: { References: "<root@shop.example>" } }),
      {},
    );
    outbox = watchOutbox();
    const sent = await reply(first.conversation.id, "Hi Ana,\n\nIt ships today.");
    expect(sent.status).toBe(201);
    expect(outbox.sent).toHaveLength(1);
    const email = outbox.sent[0]!;
    expect(email.builder).toEqual({
      from: { email: INBOUND, name: "Andy Agent from Acme Support" },
      to: { email: "ana@example.com", name: "Ana Lima" },
      replyTo: `reply+${await tokenOf(first.conversation.id)}@parley.test`,
      subject: "Re: Order 1042",
      text: "Hi Ana,\n\nIt ships today.",
      html: "<p>Hi Ana,</p>\n<p>It ships today.</p>",
      headers: { "In-Reply-To": "<ana-1@mail.example.com>", References: "<root@shop.example> <ana-1@mail.example.com>" },
    });
    expect(sent.json).toMatchObject({ direction: "out", channel: "email", status: "sent", externalId: bare(email.messageId), author: { name: "Andy Agent" } });
  });

  it("a reply to that reply: In-Reply-To names the customer's answer, References carries the whole chain, the subject stays put", async () => {
    const first = await deliverFixture(owner, mail({ from: "bea@example.com", subject: "Re: Re: Broken lid", messageId: "bea-1@mail.example.com" }), {});
    outbox = watchOutbox();
    await reply(first.conversation.id, "Sorry about that, a new lid is on its way.");
    const ourId = bare(outbox.sent[0]!.messageId);
    const answer = await deliverFixture(
      owner,
      mail({
        from: "bea@example.com",
        subject: "Re: Re: Broken lid",
        messageId: "bea-2@mail.example.com",
        headers: { "In-Reply-To": `<${ourId}>`, References: `<bea-1@mail.example.com> <${ourId}>` },
      }),
      {},
    );
    expect(answer.conversation.id).toBe(first.conversation.id);
    await reply(first.conversation.id, "It arrives Tuesday.");
    const second = outbox.sent[1]!.builder;
    expect(second.subject).toBe("Re: Broken lid");
    expect(second.headers).toEqual({ "In-Reply-To": "<bea-2@mail.example.com>", References: `<bea-1@mail.example.com> <${ourId}> <bea-2@mail.example.com>` });

    // Two replies in a row: the second answers the agent's own last mail.
    await reply(first.conversation.id, "Tracking number: 123.");
    const secondId = bare(outbox.sent[1]!.messageId);
    expect(outbox.sent[2]!.builder.headers).toEqual({
      "In-Reply-To": `<${secondId}>`,
      References: `<bea-1@mail.example.com> <${ourId}> <bea-2@mail.example.com> <${secondId}>`,
    });
  });

  it("a thread with hundreds of References keeps the header under the provider's 2,048-byte limit, root and latest first to stay", async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `<message-${String(i).padStart(3, "0")}-${"x".repeat(30)}@mail.example.com>`);
    const first = await deliverFixture(owner, mail({ from: "caio@example.com", messageId: "caio-last@mail.example.com", headers: { References: ids.join(" ") } }), {});
    outbox = watchOutbox();
    await reply(first.conversation.id, "Noted.");
    const references: string = outbox.sent[0]!.builder.headers.References;
    expect(new TextEncoder().encode(references).byteLength).toBeLessThanOrEqual(2048);
    const kept = references.split(" ");
    expect(kept[0]).toBe(ids[0]);
    expect(kept.slice(-2)).toEqual([ids[119], "<caio-last@mail.example.com>"]);
  });

  it("no name or subject can add a header: line breaks and other control characters in them are folded to spaces", async () => {
    const crafted = await agent("Cara Crafted");
    const cara = (await call("GET", "/api/me", { as: crafted })).json;
    await call("PATCH", `/api/users/${cara.id}`, { as: owner, body: { name: "Cara\r\nBcc: everyone@evil.example" } });
    await call("PUT", "/api/settings", { as: owner, body: { email: { fromName: "Acme\nX-Injected: 1" } } });
    const first = await deliverFixture(owner, mail({ from: "gabi@example.com", headers: { Subject: "=?utf-8?Q?Order=0D=0ABcc:_a@evil.example=0B=00?=" } }), {});
    await call("PATCH", `/api/contacts/${first.conversation.contact.id}`, { as: crafted, body: { firstName: "Gabi\r\nCc: b@evil.example", lastName: "\u0085Lima\u2028" } });
    outbox = watchOutbox();
    const sent = await call("POST", `/api/conversations/${first.conversation.id}/messages`, { as: crafted, body: { channel: "email", body: "Hello" } });
    await call("PUT", "/api/settings", { as: owner, body: { email: { fromName: "Acme Support" } } });
    expect(sent.status).toBe(201);
    const { from, to, replyTo, subject, headers } = outbox.sent[0]!.builder;
    const values = [from.email, from.name, to.email, to.name, replyTo, subject, ...Object.values(headers as Record<string, string>)];
    for (const value of values) expect(value, JSON.stringify(value)).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/);
    expect(from.name).toBe("Cara Bcc: everyone@evil.example from Acme X-Injected: 1");
    expect(to.name).toBe("Gabi Cc: b@evil.example Lima");
    expect(subject).toBe("Re: Order Bcc: a@evil.example");
    expect((await call("GET", `/api/conversations/${first.conversation.id}/messages`, { as: andy })).json.items.at(-1).meta.email).toMatchObject({ subject, from });
  });

  it("whatever the agent types is text in the HTML part, never markup", async () => {
    const first = await deliverFixture(owner, mail({ from: "dani@example.com" }), {});
    outbox = watchOutbox();
    await reply(first.conversation.id, 'Use <b>bold</b> & "quotes" <script>alert(1)</script>');
    expect(outbox.sent[0]!.builder.html).toBe("<p>Use &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot; &lt;script&gt;alert(1)&lt;/script&gt;</p>");
  });

  it("a bounce of the reply joins its conversation, and the reply's status becomes failed with the server's reason", async () => {
    const first = await deliverFixture(owner, mail({ from: "fil@example.com" }), {});
    outbox = watchOutbox();
    await reply(first.conversation.id, "Here is your refund confirmation.");
    const ourId = outbox.sent[0]!.messageId!;
    const dsn = mail({
      from: "Mail Delivery System <MAILER-DAEMON@mx.example.com>",
      subject: "Undelivered Mail Returned to Sender",
      headers: { "Content-Type": 'multipart/report; report-type=delivery-status; boundary="r"', "Auto-Submitted": "auto-replied" },
      body: [
        "--r",
        "Content-Type: text/plain",
        "",
        "I'm sorry to have to inform you that your message could not be delivered.",
        "--r",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example.com",
        "",
        "Final-Recipient: rfc822; fil@example.com",
        "Action: failed",
        "Status: 5.1.1",
        "Diagnostic-Code: smtp; 550 5.1.1 <fil@example.com>: Recipient address rejected",
        "--r",
        "Content-Type: text/rfc822-headers",
        "",
        `From: Andy Agent from Acme Support <${INBOUND}>`,
        "To: fil@example.com",
        "Subject: Re: Order 1042",
        `Message-ID: ${ourId}`,
        "--r--",
      ].join("\n"),
    });
    const bounce = await deliverFixture(owner, dsn, { from: "" });
    expect(bounce.conversation.id).toBe(first.conversation.id);
    expect(bounce.message.meta.automated).toMatchObject({ kind: "bounce" });
    const thread = (await call("GET", `/api/conversations/${first.conversation.id}/messages`, { as: andy })).json.items as StoredMail[];
    expect(thread.find((m) => m.externalId === bare(ourId))).toMatchObject({
      status: "failed",
      statusReason: "smtp; 550 5.1.1 <fil@example.com>: Recipient address rejected",
    });
    expect(outbox.sent).toHaveLength(1);
    expect((await call("GET", "/api/contacts?q=mailer-daemon", { as: andy })).json.items).toEqual([]);
  });

  it("a refused send is recorded as failed with the provider's reason", async () => {
    const first = await deliverFixture(owner, mail({ from: "edu@example.com" }), {});
    outbox = watchOutbox({ refuse: "E_SENDER_DOMAIN_NOT_AVAILABLE: support@parley.test is not an onboarded sending domain" });
    const sent = await reply(first.conversation.id, "Hello?");
    expect(sent.status).toBe(201);
    expect(sent.json).toMatchObject({ status: "failed", statusReason: "E_SENDER_DOMAIN_NOT_AVAILABLE: support@parley.test is not an onboarded sending domain", externalId: null });
    const thread = (await call("GET", `/api/conversations/${first.conversation.id}/messages`, { as: andy })).json.items as StoredMail[];
    expect(thread.at(-1)).toMatchObject({ body: "Hello?", status: "failed" });
  });
});

describe("email to someone we first chatted with", () => {
  async function chatWith(email: string | null, visitor: string) {
    const sender = email ? [from.email(email), from.visitor(visitor)] : [from.visitor(visitor)];
    const first = await receive("chat", sender, { thread: "new", body: "Hi, do you ship to Spain?", profile: { firstName: "Tomas", lastName: "Vidal" } });
    await new Promise((r) => setTimeout(r, 2));
    await receive("chat", sender, { thread: { conversationId: first.conversation.id }, body: "And how long does it take?" });
    return first.conversation.id;
  }

  it("an email reply carries the chat thread below it", async () => {
    const id = await chatWith("tomas@example.com", "browser-tomas");
    outbox = watchOutbox();
    const sent = await reply(id, "Yes: 3 to 5 days to Spain.");
    expect(sent.json.status).toBe("sent");
    const { subject, text, html, headers } = outbox.sent[0]!.builder;
    expect(subject).toBe("Your chat with Acme Support");
    expect(headers).toBeUndefined();
    expect(text).toMatch(
      /^Yes: 3 to 5 days to Spain\.\n\n----- Your chat with Acme Support -----\n\[\d{4}-\d\d-\d\d \d\d:\d\d UTC\] Tomas Vidal: Hi, do you ship to Spain\?\n\[.+\] Tomas Vidal: And how long does it take\?$/,
    );
    expect(html).toContain("<h3>Your chat with Acme Support</h3>");
    expect(html).toContain("Hi, do you ship to Spain?");
  });

  it("POST /transcript emails the chat thread on its own", async () => {
    const id = await chatWith("uma@example.com", "browser-uma");
    outbox = watchOutbox();
    const sent = await call("POST", `/api/conversations/${id}/transcript`, { as: andy });
    expect(sent.status).toBe(201);
    expect(sent.json).toMatchObject({ direction: "out", channel: "email", status: "sent", meta: { transcript: true } });
    const { subject, text, to } = outbox.sent[0]!.builder;
    expect(to).toEqual({ email: "uma@example.com", name: "Tomas Vidal" });
    expect(subject).toBe("Transcript of your chat with Acme Support");
    expect(text).toContain("Here is the transcript of your chat with Acme Support.");
    expect(text).toContain("Tomas Vidal: And how long does it take?");
  });

  it("without an email address: 409 with a reason code, and nothing is sent or stored", async () => {
    const id = await chatWith(null, "browser-anonymous");
    outbox = watchOutbox();
    const before = await messageCount();
    const transcript = await call("POST", `/api/conversations/${id}/transcript`, { as: andy });
    const direct = await reply(id, "Hello by email");
    expect(transcript.status).toBe(409);
    expect(transcript.json.error.code).toBe("no_email_address");
    expect(direct.status).toBe(409);
    expect(direct.json.error.code).toBe("no_email_address");
    expect(outbox.sent).toEqual([]);
    expect(await messageCount()).toBe(before);
  });

  it("a transcript of a conversation without any chat is refused", async () => {
    const first = await deliverFixture(owner, mail({ from: "vera@example.com" }), {});
    outbox = watchOutbox();
    const sent = await call("POST", `/api/conversations/${first.conversation.id}/transcript`, { as: andy });
    expect(sent.status).toBe(409);
    expect(sent.json.error.code).toBe("no_chat_messages");
    expect(outbox.sent).toEqual([]);
  });
});

describe("before email is set up", () => {
  it("a reply by email is 409 email_not_configured, and nothing is sent", async () => {
    const first = await deliverFixture(owner, mail({ from: "wes@example.com" }), {});
    await call("PUT", "/api/settings", { as: owner, body: { email: { inboundAddress: "" } } });
    outbox = watchOutbox();
    const sent = await reply(first.conversation.id, "Hello");
    await call("PUT", "/api/settings", { as: owner, body: { email: { inboundAddress: INBOUND } } });
    expect(sent.status).toBe(409);
    expect(sent.json.error.code).toBe("email_not_configured");
    expect(outbox.sent).toEqual([]);
  });
});
