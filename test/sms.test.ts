// Two-way SMS through Twilio: signed webhooks as Twilio computes the signature (base64 HMAC-SHA1
// of the URL and the sorted form fields with the auth token), replies through the Messages API
// (intercepted at the fetch boundary), credits, consent, and SMS kept to admins.
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { signedUrlCandidates, twilioSignedText } from "../src/channels/sms";
import type { User } from "../src/db/schema";
import { sendReply } from "../src/domain/replies";
import { smsSize } from "../src/domain/segments";
import type { Env } from "../src/env";
import { fromBase64, hmacVerifies } from "../src/domain/signatures";
import { admin, agent, call, type Session } from "./helpers";
import { Live } from "./chat";
import { from, receive } from "./inbound";
import { ACCOUNT, AUTH_TOKEN, OUR_NUMBER, postForm, STATUS, texted, TWILIO, twilioAnswers, twilioSignature, WEBHOOK } from "./providers";

async function stored(sid: string) {
  return env.DB.prepare("SELECT id, conversation_id, body, meta FROM messages WHERE channel = 'sms' AND external_id = ?")
    .bind(sid)
    .all<{ id: string; conversation_id: string; body: string; meta: string }>();
}

async function conversationOf(sid: string) {
  return (await stored(sid)).results[0]!.conversation_id;
}

const credits = async () => (await call("GET", "/api/sms", { as: owner })).json.credits as number;
const setCredits = (n: number) => call("PUT", "/api/settings", { as: owner, body: { sms: { credits: n } } });
const reply = (conversationId: string, body: string, as: Session = owner) => call("POST", `/api/conversations/${conversationId}/messages`, { as, body: { channel: "sms", body } });

let owner: Session;
let andy: Session;
beforeAll(async () => {
  owner = await admin();
  andy = await agent("Andy Agent");
  const saved = await call("PUT", "/api/settings", {
    as: owner,
    body: { sms: { accountSid: ACCOUNT, authToken: AUTH_TOKEN, fromNumber: "+1 415 555 0100", credits: 100, apiBaseUrl: TWILIO } },
  });
  expect(saved.json.sms).toMatchObject({ fromNumber: OUR_NUMBER, authToken: "••••••••", credits: 100 });
});
afterEach(() => vi.restoreAllMocks());

describe("Twilio's signature", () => {
  it("matches Twilio's published example (auth token 12345)", async () => {
    const params = new URLSearchParams({ CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" });
    const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const published = fromBase64("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    expect(await hmacVerifies("SHA-1", "12345", twilioSignedText(url, params), published)).toBe(true);
    params.set("Digits", "1235");
    expect(await hmacVerifies("SHA-1", "12345", twilioSignedText(url, params), published)).toBe(false);
    // Twilio's libraries accept the URL with or without its default port.
    expect(signedUrlCandidates(url)).toEqual([url, "https://mycompany.com:443/myapp.php?foo=1&bar=2"]);
    expect(signedUrlCandidates("https://mycompany.com:443/x")).toEqual(["https://mycompany.com:443/x", "https://mycompany.com/x"]);
  });

  it("refuses a missing, wrong, other token's or other URL's signature with 401, and keeps nothing", async () => {
    const fields = { AccountSid: ACCOUNT, MessageSid: "SMforged", From: "+14155550199", To: OUR_NUMBER, Body: "Forged", NumMedia: "0" };
    for (const signature of [null, "", "not base64!", await twilioSignature(WEBHOOK, fields, "other token"), await twilioSignature("https://elsewhere.test/webhooks/sms", fields)]) {
      expect((await postForm(WEBHOOK, fields, signature)).status).toBe(401);
    }
    // Signed for other fields: the signature covers every one of them.
    expect((await postForm(WEBHOOK, { ...fields, Body: "Forged!" }, await twilioSignature(WEBHOOK, fields))).status).toBe(401);
    expect((await stored("SMforged")).results).toEqual([]);
  });

  it("is checked against the public URL in Settings when a proxy rewrites the request's", async () => {
    await call("PUT", "/api/settings", { as: owner, body: { sms: { publicBaseUrl: "https://support.example.com" } } });
    try {
      const fields = { AccountSid: ACCOUNT, MessageSid: "SMproxied", From: "+14155550198", To: OUR_NUMBER, Body: "Via the proxy", NumMedia: "0" };
      expect((await postForm(WEBHOOK, fields, await twilioSignature(WEBHOOK, fields))).status).toBe(401);
      expect((await postForm(WEBHOOK, fields, await twilioSignature("https://support.example.com/webhooks/sms", fields))).status).toBe(200);
      expect((await stored("SMproxied")).results).toHaveLength(1);
    } finally {
      await call("PUT", "/api/settings", { as: owner, body: { sms: { publicBaseUrl: "" } } });
    }
  });
});

describe("an inbound SMS", () => {
  it("goes to the contact with that number (created if new), once however often Twilio delivers it, answered with empty TwiML", async () => {
    const { fields, res } = await texted("+14155550123", "Is my order ready?");
    expect(res.headers.get("content-type")).toContain("text/xml");
    expect(res.json).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    const again = await postForm(WEBHOOK, fields, await twilioSignature(WEBHOOK, fields));
    expect(again.status).toBe(200);
    expect((await stored(fields.MessageSid)).results).toHaveLength(1);

    const conversation = await call("GET", `/api/conversations/${await conversationOf(fields.MessageSid)}`, { as: owner });
    expect(conversation.json).toMatchObject({ channels: ["sms"], adminsOnly: true, unreadCount: 1, preview: "Is my order ready?", contact: { phone: "+14155550123" } });
    const next = await texted("+14155550123", "Hello?");
    expect(await conversationOf(next.fields.MessageSid)).toBe(conversation.json.id);
  });

  it("reads a number as the default country writes it, and keeps MMS media as links", async () => {
    const { fields } = await texted("(415) 555-0124", "Photo of the damage", {
      NumMedia: "2",
      MediaUrl0: "https://api.twilio.com/media/ME1",
      MediaContentType0: "image/jpeg",
      MediaUrl1: "https://api.twilio.com/media/ME2",
      MediaContentType1: "video/mp4",
    });
    const [message] = (await stored(fields.MessageSid)).results;
    expect(message!.body).toBe("Photo of the damage\n[image/jpeg] https://api.twilio.com/media/ME1\n[video/mp4] https://api.twilio.com/media/ME2");
    expect(JSON.parse(message!.meta)).toMatchObject({ address: "+14155550124", media: [{ url: "https://api.twilio.com/media/ME1", contentType: "image/jpeg" }, { contentType: "video/mp4" }] });
  });
});

describe("SMS is for admins", () => {
  it("agents get 403 on SMS conversations, their messages and sends, and never see them listed or counted", async () => {
    const { fields } = await texted("+14155550125", "Admins only");
    const id = await conversationOf(fields.MessageSid);
    for (const [method, path, body] of [
      ["GET", `/api/conversations/${id}`],
      ["GET", `/api/conversations/${id}/messages`],
      ["GET", `/api/conversations/${id}/reply-options`],
      ["POST", `/api/conversations/${id}/messages`, { body: "hi" }],
      ["POST", `/api/conversations/${id}/read`],
      ["POST", `/api/conversations/${id}/complete`],
      ["GET", "/api/conversations?channel=sms"],
      ["GET", "/api/sms"],
      ["POST", "/api/sms/messages", { to: "+14155550125", body: "hi", kind: "campaign" }],
    ] as const) {
      const res = await call(method, path, { as: andy, body });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const agentsInbox = await call("GET", "/api/conversations?status=all&limit=100", { as: andy });
    expect(agentsInbox.json.items.map((c: { id: string }) => c.id)).not.toContain(id);
    const adminsInbox = await call("GET", "/api/conversations?channel=sms&status=all&limit=100", { as: owner });
    expect(adminsInbox.json.items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await call("GET", "/api/sms", { as: owner })).json.unread).toBeGreaterThanOrEqual(1);
  });

  it("tells admins' live feeds, never agents'", async () => {
    const agentFeed = await Live.open("/api/live", { cookie: andy.cookie! });
    const adminFeed = await Live.open("/api/live", { cookie: owner.cookie! });
    await Promise.all([agentFeed.waitFor((f) => f.type === "ready"), adminFeed.waitFor((f) => f.type === "ready")]);
    await texted("+14155550126", "Live for admins");
    await adminFeed.waitFor((f) => f.type === "message.created" && f.message.body === "Live for admins");
    // A mail after it reaches every agent: the agent's feed has it, in order, and nothing of the SMS before it.
    await receive("email", [from.email("after.sms@example.com")], { thread: "new", body: "Mail after the SMS" });
    await agentFeed.waitFor((f) => f.type === "message.created" && f.message.body === "Mail after the SMS");
    expect(agentFeed.frames.filter((f) => JSON.stringify(f).includes("Live for admins"))).toEqual([]);
    agentFeed.close();
    adminFeed.close();
  });
});

describe("replies by SMS", () => {
  it("go through Twilio's Messages API to the number that texted, from ours, with a status callback, paid per segment", async () => {
    const { fields } = await texted("+14155550127", "Can I change my booking?");
    const id = await conversationOf(fields.MessageSid);
    // The contact's number changes later: the conversation still answers the number that texted.
    const contactId = (await call("GET", `/api/conversations/${id}`, { as: owner })).json.contact.id;
    expect((await call("PATCH", `/api/contacts/${contactId}`, { as: owner, body: { phone: "+14155550999" } })).status).toBe(200);
    await setCredits(10);
    const sent = twilioAnswers(201);
    const body = "Yes: ".padEnd(161, "x");
    const res = await call("POST", `/api/conversations/${id}/messages`, { as: owner, body: { body } });
    expect(res).toMatchObject({
      status: 201,
      json: { channel: "sms", status: "queued", externalId: expect.stringMatching(/^SMout\d+$/), meta: { address: "+14155550127", sms: { segments: 2, encoding: "GSM-7" } } },
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`${TWILIO}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(sent[0]!.headers.get("authorization")).toBe(`Basic ${btoa(`${ACCOUNT}:${AUTH_TOKEN}`)}`);
    expect(Object.fromEntries(sent[0]!.form)).toEqual({ To: "+14155550127", From: OUR_NUMBER, Body: body, StatusCallback: STATUS });
    expect(await credits()).toBe(8);
  });

  it("status callbacks move the reply on; a failed send gives its credits back once, an undelivered one does not", async () => {
    const { fields } = await texted("+14155550128", "Status please");
    const id = await conversationOf(fields.MessageSid);
    await setCredits(10);
    twilioAnswers(201);
    const first = (await reply(id, "First")).json;
    const second = (await reply(id, "Second")).json;
    expect(await credits()).toBe(8);
    const callback = async (sid: string, status: string, extra: Record<string, string> = {}) => {
      const form = { AccountSid: ACCOUNT, MessageSid: sid, MessageStatus: status, ...extra };
      return postForm(STATUS, form, await twilioSignature(STATUS, form));
    };
    expect((await callback(first.externalId, "sent")).status).toBe(204);
    expect((await callback(first.externalId, "delivered")).status).toBe(204);
    for (let i = 0; i < 2; i++) expect((await callback(second.externalId, "failed", { ErrorCode: "30008" })).status).toBe(204);
    const thread = (await call("GET", `/api/conversations/${id}/messages`, { as: owner })).json.items;
    expect(thread.find((m: any) => m.id === first.id)).toMatchObject({ status: "delivered" });
    expect(thread.find((m: any) => m.id === second.id)).toMatchObject({ status: "failed", statusReason: "Twilio: failed (error 30008)." });
    expect(await credits()).toBe(9);

    const third = (await reply(id, "Third")).json;
    await callback(third.externalId, "undelivered", { ErrorCode: "30003" });
    expect(await credits()).toBe(8);
    const forged = { AccountSid: ACCOUNT, MessageSid: first.externalId, MessageStatus: "failed" };
    expect((await postForm(STATUS, forged, await twilioSignature(STATUS, forged, "other token"))).status).toBe(401);
  });

  it("a refusal by Twilio is recorded with its message and code, and gives the credits back", async () => {
    const { fields } = await texted("+14155550129", "Hi");
    await setCredits(5);
    twilioAnswers(400, () => ({ code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 }));
    const res = await reply(await conversationOf(fields.MessageSid), "Hello");
    expect(res.json).toMatchObject({ status: "failed", statusReason: "The 'To' number is not a valid phone number. (Twilio error 21211)" });
    expect(await credits()).toBe(5);
  });

  it("with too few credits is 402 insufficient_credits and sends and keeps nothing; two admins at once cannot overspend", async () => {
    const { fields } = await texted("+14155550130", "Hi");
    const id = await conversationOf(fields.MessageSid);
    await setCredits(1);
    const sent = twilioAnswers(201);
    expect(await reply(id, "x".repeat(161))).toMatchObject({ status: 402, json: { error: { code: "insufficient_credits" } } });
    expect(sent).toEqual([]);
    await setCredits(3);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => reply(id, `Reply ${i}`)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 402, 402, 402]);
    expect(sent).toHaveLength(3);
    expect(await credits()).toBe(0);
    const outbound = (await call("GET", `/api/conversations/${id}/messages`, { as: owner })).json.items.filter((m: any) => m.direction === "out");
    expect(outbound).toHaveLength(3);
  });

  it("a provider repeating an id it gave before does not stop the thread from reaching D1", async () => {
    const { fields } = await texted("+14155550135", "Hi");
    const id = await conversationOf(fields.MessageSid);
    await setCredits(10);
    twilioAnswers(201, () => ({ sid: "SMrepeated", status: "queued" }));
    for (const body of ["One", "Two", "Three"]) expect((await reply(id, body)).status).toBe(201);
    const inD1 = await env.DB.prepare("SELECT body, external_id FROM messages WHERE conversation_id = ? AND direction = 'out' ORDER BY created_at").bind(id).all();
    expect(inD1.results).toEqual([
      { body: "One", external_id: "SMrepeated" },
      { body: "Two", external_id: null },
      { body: "Three", external_id: null },
    ]);
  });

  it("gives the credits back when the reply cannot be kept at all", async () => {
    const { fields } = await texted("+14155550136", "Hi");
    await setCredits(4);
    const sent = twilioAnswers(201);
    const rooms = env.ROOMS;
    const roomsThatCannotKeep = {
      idFromName: (name: string) => rooms.idFromName(name),
      get: (id: DurableObjectId) => {
        const room = rooms.get(id) as unknown as Record<string, (...args: unknown[]) => unknown>;
        const fails = () => Promise.reject(new Error("room unavailable"));
        return new Proxy(room, { get: (target, key: string) => (key === "record" ? fails : (...args: unknown[]) => target[key]!(...args)) });
      },
    };
    const user = (await env.DB.prepare("SELECT * FROM users WHERE role = 'admin' LIMIT 1").first())!;
    const agentUser = { ...user, passwordHash: user.password_hash, createdAt: user.created_at, disabled: false } as unknown as User;
    const refused = sendReply(
      { ...(env as Env), ROOMS: roomsThatCannotKeep as unknown as Env["ROOMS"] },
      { conversationId: await conversationOf(fields.MessageSid), channel: "sms", body: "Kept nowhere", agent: agentUser },
    );
    await expect(refused).rejects.toThrow("room unavailable");
    expect(sent).toEqual([]);
    expect(await credits()).toBe(4);
  });

  it("over 1,600 characters is 400 sms_too_long, and costs nothing", async () => {
    const { fields } = await texted("+14155550131", "Hi");
    await setCredits(50);
    const sent = twilioAnswers(201);
    expect(await reply(await conversationOf(fields.MessageSid), "x".repeat(1601))).toMatchObject({ status: 400, json: { error: { code: "sms_too_long" } } });
    expect(sent).toEqual([]);
    expect(await credits()).toBe(50);
  });

  it("a number that said STOP gets nothing (409 sms_opted_out) until it says START", async () => {
    const number = "+14155550132";
    const { fields } = await texted(number, "Hi");
    const id = await conversationOf(fields.MessageSid);
    await setCredits(10);
    const sent = twilioAnswers(201);
    await texted(number, " stop ");
    expect(await reply(id, "Are you sure?")).toMatchObject({ status: 409, json: { error: { code: "sms_opted_out" } } });
    expect(await call("POST", "/api/sms/messages", { as: owner, body: { to: number, body: "Sale!", kind: "campaign" } })).toMatchObject({ status: 409 });
    const options = (await call("GET", `/api/conversations/${id}/reply-options`, { as: owner })).json;
    expect(options.channels.find((c: any) => c.channel === "sms")).toMatchObject({ reason: "sms_opted_out" });
    expect(sent).toEqual([]);
    const consent = await env.DB.prepare("SELECT opted_out, keyword FROM sms_consent WHERE phone = ?").bind(number).first();
    expect(consent).toEqual({ opted_out: 1, keyword: "STOP" });

    await texted(number, "UNSTOP");
    expect((await reply(id, "Welcome back")).status).toBe(201);
    expect(sent).toHaveLength(1);
  });
});

describe("SMS a CRM sends", () => {
  it("goes to the number's SMS conversation (a new contact for a new number), marked with its campaign, and the reply lands beside it", async () => {
    await setCredits(10);
    const sent = twilioAnswers(201);
    const res = await call("POST", "/api/sms/messages", { as: owner, body: { to: "(415) 555-0133", body: "Spring sale: 20% off", kind: "campaign", name: "Spring" } });
    expect(res).toMatchObject({ status: 201, json: { channel: "sms", meta: { campaign: { kind: "campaign", name: "Spring" }, address: "+14155550133" } } });
    expect(sent[0]!.form.get("To")).toBe("+14155550133");
    const conversation = (await call("GET", `/api/conversations/${res.json.conversationId}`, { as: owner })).json;
    expect(conversation).toMatchObject({ adminsOnly: true, contact: { phone: "+14155550133" } });
    // Before the person answers, a reply without a channel goes by SMS too.
    expect((await call("GET", `/api/conversations/${res.json.conversationId}/reply-options`, { as: owner })).json).toMatchObject({ default: "sms", smsCredits: 9 });
    const answer = await texted("+14155550133", "Does it include shoes?");
    expect(await conversationOf(answer.fields.MessageSid)).toBe(res.json.conversationId);
  });

  it("refuses a number that is not one (400), and leaves no empty conversation when refused for credits", async () => {
    expect(await call("POST", "/api/sms/messages", { as: owner, body: { to: "12", body: "x", kind: "campaign" } })).toMatchObject({ status: 400, json: { error: { code: "invalid_phone" } } });
    await setCredits(0);
    const before = await env.DB.prepare("SELECT count(*) AS n FROM conversations").first<{ n: number }>();
    expect((await call("POST", "/api/sms/messages", { as: owner, body: { to: "+14155550134", body: "x", kind: "automation" } })).status).toBe(402);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM conversations").first<{ n: number }>()).toEqual(before);
  });
});

describe("credits and the SMS number in Settings", () => {
  it("admins top up; the number must be a US, UK or Australian one, stored in E.164", async () => {
    await setCredits(7);
    expect(await call("POST", "/api/sms/credits", { as: owner, body: { add: 5 } })).toMatchObject({ status: 200, json: { credits: 12 } });
    expect((await call("POST", "/api/sms/credits", { as: owner, body: { add: 0 } })).status).toBe(400);
    expect((await call("POST", "/api/sms/credits", { as: andy, body: { add: 5 } })).status).toBe(403);
    expect((await call("PUT", "/api/settings", { as: owner, body: { sms: { fromNumber: "+33 1 23 45 67 89" } } })).status).toBe(400);
    const uk = await call("PUT", "/api/settings", { as: owner, body: { sms: { fromNumber: "+44 20 7946 0958" } } });
    expect(uk.json.sms).toMatchObject({ fromNumber: "+442079460958", credits: 12 });
    await call("PUT", "/api/settings", { as: owner, body: { sms: { fromNumber: OUR_NUMBER } } });
  });
});

describe("segments", () => {
  it("counts as carriers bill: GSM-7 160 / 153 per part, extension characters as two, UCS-2 70 / 67, emoji as two units", () => {
    const segments = (text: string) => smsSize(text).segments;
    expect([segments("a".repeat(160)), segments("a".repeat(161)), segments("a".repeat(306)), segments("a".repeat(307))]).toEqual([1, 2, 2, 3]);
    expect([segments("{".repeat(80)), segments("{".repeat(81)), segments(`${"€".repeat(80)}a`)]).toEqual([1, 2, 2]);
    expect(smsSize("^{}\\[]~|€").encoding).toBe("GSM-7");
    expect([segments("ж".repeat(70)), segments("ж".repeat(71)), segments("ж".repeat(134)), segments("ж".repeat(135))]).toEqual([1, 2, 2, 3]);
    expect(smsSize(`${"a".repeat(159)}ж`)).toMatchObject({ encoding: "UCS-2", segments: 3 });
    expect([segments("😀".repeat(35)), segments("😀".repeat(36)), segments(`${"a".repeat(68)}😀`), segments(`${"a".repeat(69)}😀`)]).toEqual([1, 2, 1, 2]);
    expect(smsSize("😀😀")).toMatchObject({ characters: 2, encoding: "UCS-2" });
  });
});
