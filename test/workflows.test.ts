// Workflows: kept as data admins edit, run by the conversation's room on chat, Messenger and SMS:
// greeting, asking only for what is missing, re-asking a bad answer, timing out, handing over. A run
// survives its room stopping, sends nothing twice, and stops when a teammate replies.
import { env } from "cloudflare:workers";
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Run } from "../src/domain/automation";
import { composeMessage } from "../src/domain/messages";
import type { ConversationRoom } from "../src/realtime/room";
import { admin, agent, call, type Session } from "./helpers";
import { clientId, Live, newVisitor, startChat, widget } from "./chat";
import { deliver, INBOUND, mail } from "./mail";
import { ACCOUNT, AUTH_TOKEN, GRAPH, messengerEvent, messengerText, metaAnswers, metaSignature, PAGE_ID, PAGE_TOKEN, postToMessenger, texted, TWILIO, twilioAnswers } from "./providers";

type Message = { id: string; body: string; direction: string; channel: string; status: string | null; statusReason: string | null; author: { type: string; id: string | null; name: string | null } };

let owner: Session;
beforeAll(async () => {
  owner = await admin();
  const saved = await call("PUT", "/api/settings", {
    as: owner,
    body: {
      email: { inboundAddress: INBOUND },
      messenger: { pageId: PAGE_ID, appSecret: "meta app secret", verifyToken: "verify me", pageAccessToken: PAGE_TOKEN, graphApiBaseUrl: GRAPH },
      sms: { accountSid: ACCOUNT, authToken: AUTH_TOKEN, fromNumber: "+14155550100", credits: 100, apiBaseUrl: TWILIO },
    },
  });
  expect(saved.status).toBe(200);
});

/** Only this workflow runs: every other one is turned off. */
async function only(workflow: { template: string } | Record<string, unknown>) {
  const { json } = await call("GET", "/api/workflows", { as: owner });
  for (const w of json.items) if (w.enabled) await call("PATCH", `/api/workflows/${w.id}`, { as: owner, body: { enabled: false } });
  const made = await call("POST", "/api/workflows", { as: owner, body: workflow });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
  return made.json;
}

const room = (conversationId: string) => env.ROOMS.get(env.ROOMS.idFromName(conversationId));

async function thread(conversationId: string): Promise<Message[]> {
  return (await call("GET", `/api/conversations/${conversationId}/messages`, { as: owner })).json.items;
}
const botSaid = async (conversationId: string) => (await thread(conversationId)).filter((m) => m.author.type === "bot").map((m) => m.body);

async function runOf(conversationId: string): Promise<{ status: string; log: { text: string }[]; workflowName: string } | null> {
  return (await call("GET", `/api/conversations/${conversationId}/automation`, { as: owner })).json.run;
}
const logOf = async (conversationId: string) => (await runOf(conversationId))?.log.map((entry) => entry.text) ?? [];

/** Waits until the run is at rest: asking, waiting, or over. */
async function settledRun(conversationId: string, status?: string) {
  return vi.waitFor(
    async () => {
      const run = await runOf(conversationId);
      expect(run?.status).toMatch(status ? new RegExp(`^${status}$`) : /^(asking|waiting|done|stopped)$/);
      return run!;
    },
    { timeout: 4_000, interval: 50 },
  );
}

/** A widget visitor who filled in the pre-chat form and wrote their first message; their conversation. */
async function chatting(email: string, first = "Hi there") {
  const token = await newVisitor();
  expect((await widget(token, "POST", "/prechat", { email })).status).toBe(200);
  return { token, conversationId: await startChat(token, first) };
}

const say = (token: string, body: string) => widget(token, "POST", "/messages", { clientId: clientId(), body });

afterEach(() => vi.restoreAllMocks());

describe("workflows as data", () => {
  it("are made from the two templates, enabled, greeting, asking only when the field is missing, then assigning", async () => {
    for (const [template, field, name] of [
      ["welcome-ask-email", "email", "Welcome message and ask for email"],
      ["welcome-ask-phone", "phone", "Welcome message and ask for phone number"],
    ]) {
      const made = await only({ template });
      expect(made).toMatchObject({ name, enabled: true, version: 1, trigger: { type: "conversation.opened", channels: ["chat", "messenger", "sms"] } });
      expect(made.steps.map((s: { type: string }) => s.type)).toEqual(["message", "branch", "ask", "assign"]);
      expect(made.steps[1]).toMatchObject({ if: { field, op: "set" }, goTo: "assign" });
      expect(made.steps[2]).toMatchObject({ expects: field });
    }
  });

  it("are checked as a whole: a branch only forward, known fields, unique ids, a real teammate; each change a new version", async () => {
    const steps = [
      { id: "hello", type: "message", body: "Hello" },
      { id: "check", type: "branch", if: { field: "email", op: "set" }, goTo: "hello" },
    ];
    const backwards = await call("POST", "/api/workflows", { as: owner, body: { name: "Loop", trigger: { type: "conversation.opened", channels: ["chat"] }, steps } });
    expect(backwards.status).toBe(400);
    expect(backwards.json.error.details).toEqual([expect.objectContaining({ path: "steps.1.goTo", message: "A branch goes to a later step, or to the end." })]);
    for (const bad of [
      { steps: [] },
      { steps: [{ type: "ask", question: "Plan?", expects: "text", saveTo: "password" }] },
      { steps: [{ type: "ask", question: "Email?", expects: "email", saveTo: "phone" }] },
      {
        steps: [
          { id: "a", type: "complete" },
          { id: "a", type: "complete" },
        ],
      },
      { steps: [{ type: "wait", minutes: 0 }] },
      { steps: [{ type: "message", body: "Hi" }], trigger: { type: "conversation.opened", channels: ["email"] } },
    ]) {
      const res = await call("POST", "/api/workflows", { as: owner, body: { name: "Bad", trigger: { type: "conversation.opened", channels: ["chat"] }, ...bad } });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.json.error.code).toBe("invalid_input");
    }
    const bare = await call("POST", "/api/workflows", { as: owner, body: { steps: [{ type: "complete" }] } });
    expect(bare.json.error.details.map((d: { path: string }) => d.path)).toEqual(["name", "trigger"]);
    const chatOnly = await call("POST", "/api/workflows", { as: owner, body: { template: "welcome-ask-email", enabled: false, trigger: { type: "conversation.opened", channels: ["chat"] } } });
    expect(chatOnly.json).toMatchObject({ name: "Welcome message and ask for email", enabled: false, trigger: { channels: ["chat"] } });
    const nobody = await call("POST", "/api/workflows", {
      as: owner,
      body: { name: "Nobody", trigger: { type: "conversation.opened", channels: ["chat"] }, steps: [{ type: "assign", to: { userId: "no-such-user" } }] },
    });
    expect(nobody.status).toBe(400);

    const made = await call("POST", "/api/workflows", {
      as: owner,
      body: { name: "Fine", enabled: false, trigger: { type: "conversation.opened", channels: ["sms"] }, steps: [{ type: "message", body: "Hi" }] },
    });
    expect(made.json).toMatchObject({ enabled: false, version: 1, steps: [{ id: "step-1", type: "message", body: "Hi" }] });
    const renamed = await call("PATCH", `/api/workflows/${made.json.id}`, { as: owner, body: { name: "Finer" } });
    expect(renamed.json).toMatchObject({ name: "Finer", version: 2, steps: made.json.steps });
    expect((await call("GET", `/api/workflows/${made.json.id}`, { as: owner })).json.version).toBe(2);
    // Turning it on changes no step: the same version.
    expect((await call("PATCH", `/api/workflows/${made.json.id}`, { as: owner, body: { enabled: true } })).json).toMatchObject({ enabled: true, version: 2 });
    expect((await call("DELETE", `/api/workflows/${made.json.id}`, { as: owner })).status).toBe(200);
    expect((await call("GET", `/api/workflows/${made.json.id}`, { as: owner })).status).toBe(404);
    expect((await call("GET", "/api/workflows", { as: await agent() })).status).toBe(403);
  });
});

describe("a run on chat", () => {
  beforeEach(async () => {
    await only({ template: "welcome-ask-email" });
  });

  it("greets the visitor in the widget, skips asking for the email the form gave, and says nobody was online to assign", async () => {
    const { token, conversationId } = await chatting("known@example.com");
    const run = await settledRun(conversationId, "done");
    expect(run.workflowName).toBe("Welcome message and ask for email");
    expect(await botSaid(conversationId)).toEqual(["Hi! Thanks for getting in touch. Someone from the team will be with you shortly."]);
    expect(await logOf(conversationId)).toEqual([
      'Started "Welcome message and ask for email" (version 1).',
      'Sent: "Hi! Thanks for getting in touch. Someone from the team will be with you shortly."',
      'Has email: yes, so on to "assign".',
      "No teammate is online: left unassigned.",
      "Finished.",
    ]);
    // The visitor sees it as a message from the team, by the bot's name.
    const visitor = await Live.visitor(token, conversationId);
    const ready = await visitor.waitFor((f) => f.type === "ready");
    expect(ready.messages.map((m: { from: string; name: string | null }) => [m.from, m.name])).toEqual([
      ["visitor", null],
      ["agent", "Bot"],
    ]);
    visitor.ws.close();
  });

  it("assigns round-robin to a teammate with the inbox open", async () => {
    const bea = await agent("Bea Round");
    const feed = await Live.open("/api/live", { cookie: bea.cookie! });
    await feed.waitFor((f) => f.type === "ready");
    try {
      const { conversationId } = await chatting("assigned@example.com");
      await settledRun(conversationId, "done");
      expect(await logOf(conversationId)).toContain("Assigned to Bea Round (round-robin).");
      const me = (await call("GET", "/api/me", { as: bea })).json;
      expect((await call("GET", `/api/conversations/${conversationId}`, { as: owner })).json.assignee).toBe(me.id);
    } finally {
      feed.ws.close();
    }
    // Bea closed the inbox: she is not given the next one.
    await vi.waitFor(async () => {
      const { conversationId } = await chatting(`after-bea-${Date.now()}@example.com`);
      await settledRun(conversationId, "done");
      expect(await logOf(conversationId)).toContain("No teammate is online: left unassigned.");
    });
  });

  it("runs once per conversation: the oldest enabled workflow, and only on the message that opens it", async () => {
    const second = await call("POST", "/api/workflows", {
      as: owner,
      body: { name: "Second", trigger: { type: "conversation.opened", channels: ["chat"] }, steps: [{ type: "message", body: "From the second" }] },
    });
    expect(second.status).toBe(201);
    const { token, conversationId } = await chatting("once@example.com");
    await settledRun(conversationId, "done");
    await say(token, "Another message");
    await say(token, "And another");
    await settledRun(conversationId, "done");
    expect(await botSaid(conversationId)).toEqual(["Hi! Thanks for getting in touch. Someone from the team will be with you shortly."]);
  });
});

describe("the other steps", () => {
  it("tag the contact, assign a named teammate, complete the conversation; the person's next message reopens it", async () => {
    const cleo = await agent("Cleo Named");
    const cleoId = (await call("GET", "/api/me", { as: cleo })).json.id;
    await only({
      name: "Tag and close",
      trigger: { type: "conversation.opened", channels: ["chat"] },
      steps: [{ type: "tag", tag: "vip" }, { type: "assign", to: { userId: cleoId } }, { type: "complete" }],
    });
    const { token, conversationId } = await chatting("tagged@example.com");
    await settledRun(conversationId, "done");
    expect(await logOf(conversationId)).toEqual(['Started "Tag and close" (version 1).', 'Tagged "vip".', "Assigned to Cleo Named.", "Marked complete.", "Finished."]);
    const conversation = (await call("GET", `/api/conversations/${conversationId}`, { as: owner })).json;
    expect(conversation).toMatchObject({ status: "complete", assignee: cleoId, contact: { tags: ["vip"] } });
    await say(token, "One more thing");
    await vi.waitFor(async () => expect((await call("GET", `/api/conversations/${conversationId}`, { as: owner })).json.status).toBe("open"));
  });

  it("wait: the room's alarm ends it and the run goes on", async () => {
    await only({
      name: "Wait then nudge",
      trigger: { type: "conversation.opened", channels: ["chat"] },
      steps: [
        { type: "wait", minutes: 10 },
        { type: "message", body: "Still there?" },
      ],
    });
    const { conversationId } = await chatting("waiter@example.com");
    await settledRun(conversationId, "waiting");
    expect(await botSaid(conversationId)).toEqual([]);
    await runInDurableObject(room(conversationId), (_i, state) => {
      const run = state.storage.kv.get<Run>("run")!;
      expect(run.until).toBeGreaterThan(Date.now() + 9 * 60_000);
      state.storage.kv.put("run", { ...run, until: Date.now() - 1 });
    });
    await runDurableObjectAlarm(room(conversationId));
    await settledRun(conversationId, "done");
    expect(await botSaid(conversationId)).toEqual(["Still there?"]);
    expect(await logOf(conversationId)).toEqual(expect.arrayContaining(["Waiting 10 minutes.", "Wait over."]));
  });
});

describe("asking on chat", () => {
  beforeEach(async () => {
    await only({ template: "welcome-ask-phone" });
  });

  it("asks again on a bad answer at most twice, then goes on without it", async () => {
    const { token, conversationId } = await chatting("nophone@example.com");
    await settledRun(conversationId, "asking");
    await say(token, "call me maybe");
    await vi.waitFor(async () => expect(await botSaid(conversationId)).toHaveLength(3), { timeout: 5_000 });
    await say(token, "12");
    await vi.waitFor(async () => expect(await botSaid(conversationId)).toHaveLength(4), { timeout: 5_000 });
    await say(token, "still no");
    await settledRun(conversationId, "done");
    const said = await botSaid(conversationId);
    expect(said[1]).toMatch(/what is your phone number/);
    expect(said.slice(2)).toEqual([
      "That doesn't look like a phone number. Could you type it again with the country code (like +44 20 7946 0958), or type skip?",
      "That doesn't look like a phone number. Could you type it again with the country code (like +44 20 7946 0958), or type skip?",
    ]);
    expect(await logOf(conversationId)).toEqual(
      expect.arrayContaining(['Not a phone number: "call me maybe". Asked again.', 'Not a phone number: "12". Asked again.', 'Not a phone number: "still no". No more tries; went on without it.']),
    );
  });

  it("keeps a valid phone on the conversation without adding it to the contact the form made: a typed number is a claim", async () => {
    const { token, conversationId } = await chatting("claims@example.com");
    await settledRun(conversationId, "asking");
    await say(token, "+44 20 7946 0958");
    await settledRun(conversationId, "done");
    expect(await logOf(conversationId)).toEqual(expect.arrayContaining(["Answered: +442079460958", "Kept here, not added to the contact: a typed phone is not proof. A teammate can add it."]));
    const contact = (await call("GET", `/api/conversations/${conversationId}`, { as: owner })).json.contact;
    expect(contact).toMatchObject({ email: "claims@example.com", phone: null });
  });

  it("moves on when the person types skip, and when the question times out", async () => {
    const skipper = await chatting("skipper@example.com");
    await settledRun(skipper.conversationId, "asking");
    await say(skipper.token, "Skip");
    await settledRun(skipper.conversationId, "done");
    expect(await logOf(skipper.conversationId)).toContain("Skipped by the person.");

    const quiet = await chatting("quiet@example.com");
    await settledRun(quiet.conversationId, "asking");
    // An hour passes: the room's alarm finds the question past its deadline.
    await runInDurableObject(room(quiet.conversationId), (_i, state) => {
      const run = state.storage.kv.get<Run>("run")!;
      state.storage.kv.put("run", { ...run, until: Date.now() - 1 });
    });
    await runDurableObjectAlarm(room(quiet.conversationId));
    await settledRun(quiet.conversationId, "done");
    expect(await logOf(quiet.conversationId)).toContain("No answer in time; went on without one.");
  });

  it("stops when a teammate replies: nothing more is asked, and the person's answer is just a message", async () => {
    const { token, conversationId } = await chatting("takeover@example.com");
    await settledRun(conversationId, "asking");
    const reply = await call("POST", `/api/conversations/${conversationId}/messages`, { as: owner, body: { channel: "chat", body: "Hi, Olivia here. How can I help?" } });
    expect(reply.status).toBe(201);
    await settledRun(conversationId, "stopped");
    await say(token, "not a phone");
    await new Promise((done) => setTimeout(done, 300));
    expect(await botSaid(conversationId)).toHaveLength(2);
    expect((await logOf(conversationId)).at(-1)).toBe("Stopped: Olivia Owner replied.");
  });

  it("carries on after its room is evicted mid-run", async () => {
    const { token, conversationId } = await chatting("evicted@example.com");
    await settledRun(conversationId, "asking");
    await evictDurableObject(room(conversationId));
    await say(token, "+1 415 555 0123");
    await settledRun(conversationId, "done");
    expect(await logOf(conversationId)).toContain("Answered: +14155550123");
  });
});

describe("a run on Messenger and SMS", () => {
  beforeEach(async () => {
    await only({ template: "welcome-ask-email" });
  });

  async function messaged(psid: string, body: string) {
    const event = messengerEvent(messengerText(psid, `m_${psid}_${Date.now()}_${Math.random()}`, body));
    expect((await postToMessenger(event, await metaSignature(event))).status).toBe(200);
  }
  const messengerConversation = async (psid: string) => (await env.DB.prepare("SELECT id FROM conversations WHERE party = ?").bind(`messenger:${psid}`).first<{ id: string }>())!.id;

  it("greets and asks a Messenger sender through the Send API; their email names them, as a claim that changes no contact", async () => {
    const sent = metaAnswers(200, { recipient_id: "x", message_id: `m_out_${Date.now()}` });
    // Someone already proven by their own mail: a stranger typing their address must not change them.
    expect((await deliver(mail({ from: "Rita <rita@example.com>", subject: "Hello" }))).rejected).toBeNull();
    const rita = (await call("GET", "/api/contacts?q=rita@example.com", { as: owner })).json.items[0];

    await messaged("psid-flow", "Hello from Messenger");
    const conversationId = await messengerConversation("psid-flow");
    await settledRun(conversationId, "asking");
    expect(sent.map((s) => s.url)).toEqual([`${GRAPH}/${PAGE_ID}/messages`, `${GRAPH}/${PAGE_ID}/messages`]);
    expect(sent.map((s) => s.body.message.text)).toEqual([expect.stringMatching(/^Hi! Thanks/), expect.stringMatching(/what is your email address/)]);
    expect(sent[0]!.body).toMatchObject({ recipient: { id: "psid-flow" }, messaging_type: "RESPONSE" });

    await messaged("psid-flow", "rita@example.com");
    await settledRun(conversationId, "done");
    expect(await logOf(conversationId)).toContain("The conversation is now with the contact of this email (not verified).");
    const conversation = (await call("GET", `/api/conversations/${conversationId}`, { as: owner })).json;
    expect(conversation).toMatchObject({ contact: { id: rita.id, email: "rita@example.com" }, identityVerified: false });
    const after = (await call("GET", `/api/contacts/${rita.id}`, { as: owner })).json;
    expect(after).toMatchObject({ email: rita.email, phone: rita.phone, firstName: rita.firstName, updatedAt: rita.updatedAt });
  });

  it("makes a new contact, not verified, of an email nobody has", async () => {
    metaAnswers(200, { recipient_id: "x", message_id: `m_out_${Date.now()}` });
    await messaged("psid-new", "Hi");
    const conversationId = await messengerConversation("psid-new");
    await settledRun(conversationId, "asking");
    await messaged("psid-new", "New.Person@Example.com");
    await settledRun(conversationId, "done");
    const conversation = (await call("GET", `/api/conversations/${conversationId}`, { as: owner })).json;
    expect(conversation).toMatchObject({ contact: { email: "new.person@example.com", marketingConsent: false }, identityVerified: false });
  });

  it("greets and asks an SMS sender through Twilio, spending credits, and goes on when they skip", async () => {
    const before = (await call("GET", "/api/sms", { as: owner })).json.credits as number;
    const sent = twilioAnswers(201);
    const { fields } = await texted("+14155550142", "Hi, is the shop open today?");
    const conversationId = (await env.DB.prepare("SELECT conversation_id FROM messages WHERE external_id = ?").bind(fields.MessageSid).first<{ conversation_id: string }>())!.conversation_id;
    await settledRun(conversationId, "asking");
    expect(sent.map((s) => [s.form.get("To"), s.form.get("Body")])).toEqual([
      ["+14155550142", expect.stringMatching(/^Hi! Thanks/)],
      ["+14155550142", expect.stringMatching(/what is your email address/)],
    ]);
    expect((await call("GET", "/api/sms", { as: owner })).json.credits).toBe(before - 2);
    await texted("+14155550142", "skip");
    await settledRun(conversationId, "done");
    expect(await logOf(conversationId)).toEqual(expect.arrayContaining(["Skipped by the person.", "No teammate is online: left unassigned."]));
    expect(sent).toHaveLength(2);
  });

  it("never runs for a conversation opened by an email", async () => {
    expect((await deliver(mail({ from: "Mailer <mailer@example.com>", subject: "A question" }))).rejected).toBeNull();
    const { conversation_id } = (await env.DB.prepare("SELECT conversation_id FROM messages WHERE channel = 'email' ORDER BY created_at DESC LIMIT 1").first<{ conversation_id: string }>())!;
    await new Promise((done) => setTimeout(done, 300));
    expect(await runOf(conversation_id)).toBeNull();
    expect(await botSaid(conversation_id)).toEqual([]);
  });
});

describe("a run that wakes after its room stopped", () => {
  it("sends a message it had not kept yet, once, and marks one it may have handed over as not sent again", async () => {
    await only({
      name: "Two greetings",
      trigger: { type: "conversation.opened", channels: ["sms"] },
      steps: [
        { id: "first", type: "message", body: "First" },
        { id: "wait", type: "wait", minutes: 5 },
        { id: "second", type: "message", body: "Second" },
      ],
    });
    const sent = twilioAnswers(201);
    const { fields } = await texted("+14155550143", "Hello");
    const conversationId = (await env.DB.prepare("SELECT conversation_id FROM messages WHERE external_id = ?").bind(fields.MessageSid).first<{ conversation_id: string }>())!.conversation_id;
    await settledRun(conversationId, "waiting");
    expect(sent).toHaveLength(1);

    // The room stopped just after writing down that it would send the second message, before keeping it.
    await runInDurableObject(room(conversationId), (_i, state) => {
      const run = state.storage.kv.get<Run>("run")!;
      state.storage.kv.put("run", { ...run, status: "running", until: null, at: 3, pending: { type: "send", stepId: "second", messageId: "wake-second", body: "Second" } });
    });
    await evictDurableObject(room(conversationId));
    await runDurableObjectAlarm(room(conversationId));
    await settledRun(conversationId, "done");
    await runDurableObjectAlarm(room(conversationId));
    expect(sent.map((s) => s.form.get("Body"))).toEqual(["First", "Second"]);

    // The room stopped after keeping a message and maybe handing it to Twilio, before hearing back: not sent again.
    await runInDurableObject(room(conversationId), async (instance: ConversationRoom, state) => {
      await instance.record(composeMessage(conversationId, { id: "handed-over", direction: "out", channel: "sms", body: "Third", author: { type: "bot", id: null, name: "Bot" }, status: "queued" }));
      const run = state.storage.kv.get<Run>("run")!;
      state.storage.kv.put("run", { ...run, status: "running", endedAt: null, pending: { type: "send", stepId: "second", messageId: "handed-over", body: "Third" } });
    });
    await evictDurableObject(room(conversationId));
    await runDurableObjectAlarm(room(conversationId));
    await settledRun(conversationId, "done");
    expect(sent).toHaveLength(2);
    const third = (await thread(conversationId)).find((m) => m.id === "handed-over")!;
    expect(third).toMatchObject({ status: "failed", statusReason: "Interrupted while being sent; not sent again, so the person never gets it twice." });
  });
});

describe("CRMs hear of automations", () => {
  it("as automation.entered: the pre-chat form, and a workflow starting, each once", async () => {
    await only({ template: "welcome-ask-email" });
    const subscription = await call("POST", "/api/webhooks", { as: owner, body: { url: "https://crm.example/hooks", secret: "a secret of sixteen+", events: ["automation.entered"] } });
    expect(subscription.status).toBe(201);
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response("ok"));
    const { conversationId } = await chatting("crm@example.com");
    await settledRun(conversationId, "done");
    const deliveries = await vi.waitFor(
      async () => {
        const { json } = await call("GET", `/api/webhooks/${subscription.json.id}/deliveries`, { as: owner });
        expect(json.items).toHaveLength(2);
        return json.items;
      },
      { timeout: 5_000 },
    );
    expect(deliveries.map((d: { type: string }) => d.type)).toEqual(["automation.entered", "automation.entered"]);
    const bodies = (await env.DB.prepare("SELECT payload FROM webhook_deliveries WHERE subscription_id = ? ORDER BY created_at").bind(subscription.json.id).all<{ payload: string }>()).results.map(
      (r) => JSON.parse(r.payload),
    );
    expect(bodies.map((b) => b.data.automation.type)).toEqual(["chat-form", "workflow"]);
    expect(bodies[1].data).toMatchObject({ conversationId, automation: { name: "Welcome message and ask for email" }, contact: { email: "crm@example.com", marketingConsent: false } });
    await call("DELETE", `/api/webhooks/${subscription.json.id}`, { as: owner });
  });
});
