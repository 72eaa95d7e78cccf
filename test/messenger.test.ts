// Facebook Messenger's webhook: Meta's subscription check, and signed events stored once, as
// Meta computes the signature (hex HMAC-SHA256 of the raw body with the app's secret).
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { updateDelivery } from "../src/domain/replies";
import type { Env } from "../src/env";
import { admin, call } from "./helpers";
import { APP_SECRET, GRAPH, messengerEvent, messengerText, metaAnswers, metaSignature, PAGE_ID, PAGE_TOKEN, postToMessenger, VERIFY_TOKEN } from "./providers";

const DAY = 86_400_000;

async function storedWith(externalId: string) {
  const { results } = await env.DB.prepare("SELECT conversation_id, body, direction, channel FROM messages WHERE external_id = ?")
    .bind(externalId)
    .all<{ conversation_id: string; body: string; direction: string; channel: string }>();
  return results;
}

beforeAll(async () => {
  await call("PUT", "/api/settings", {
    as: await admin(),
    body: { messenger: { pageId: PAGE_ID, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, pageAccessToken: PAGE_TOKEN, graphApiBaseUrl: GRAPH } },
  });
});

describe("Messenger's subscription check", () => {
  it("answers the challenge for the verify token in Settings, and 403 for any other", async () => {
    const ok = await call("GET", `/webhooks/messenger?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(VERIFY_TOKEN)}&hub.challenge=12345`);
    expect(ok).toMatchObject({ status: 200, json: 12345 });
    const wrong = await call("GET", "/webhooks/messenger?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=12345");
    expect(wrong.status).toBe(403);
    expect((await call("GET", `/webhooks/messenger?hub.mode=unsubscribe&hub.verify_token=${encodeURIComponent(VERIFY_TOKEN)}&hub.challenge=1`)).status).toBe(403);
  });
});

describe("Messenger's events", () => {
  it("stores a signed message once however often Meta delivers it, in the person's conversation", async () => {
    const body = messengerEvent(messengerText("psid-ana", "m_first", "Hi, do you ship to Lisbon?"));
    const first = await postToMessenger(body, await metaSignature(body));
    expect(first).toMatchObject({ status: 200, json: { received: 1 } });
    expect((await postToMessenger(body, await metaSignature(body))).status).toBe(200);
    const stored = await storedWith("m_first");
    expect(stored).toEqual([expect.objectContaining({ body: "Hi, do you ship to Lisbon?", direction: "in", channel: "messenger" })]);

    const next = messengerEvent(messengerText("psid-ana", "m_second", "And to Porto?"));
    await postToMessenger(next, await metaSignature(next));
    expect((await storedWith("m_second"))[0]!.conversation_id).toBe(stored[0]!.conversation_id);
    const listed = await call("GET", "/api/conversations?channel=messenger", { as: await admin() });
    expect(listed.json.items.find((c: { id: string }) => c.id === stored[0]!.conversation_id)).toMatchObject({ contact: null, channels: ["messenger"] });
  });

  it("shows a new person's profile name from the Graph API until they are a contact, and does without it when Meta refuses", async () => {
    const asked: URL[] = [];
    const real = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const request = new Request(input, init);
      if (!request.url.startsWith(GRAPH)) return real(input, init);
      const url = new URL(request.url);
      asked.push(url);
      return url.pathname.endsWith("/psid-named")
        ? Response.json({ first_name: "Ana", last_name: "Lima", id: "psid-named" })
        : Response.json({ error: { message: "(#100) No profile available", code: 100 } }, { status: 400 });
    });
    const named = await personWrote("psid-named");
    const view = (await call("GET", `/api/conversations/${named}`, { as: await admin() })).json;
    expect(view).toMatchObject({ partyName: "Ana Lima", contact: null });
    expect(asked[0]!.pathname).toBe("/v21.0/psid-named");
    expect(Object.fromEntries(asked[0]!.searchParams)).toEqual({ fields: "first_name,last_name", access_token: PAGE_TOKEN });
    // Their next message asks nothing more.
    const next = messengerEvent(messengerText("psid-named", "m_named_2", "Still there?"));
    await postToMessenger(next, await metaSignature(next));
    expect(asked).toHaveLength(1);

    const unnamed = await personWrote("psid-private");
    expect((await call("GET", `/api/conversations/${unnamed}`, { as: await admin() })).json.partyName).toBeNull();
    expect(await storedWith("m_psid-private_0")).toHaveLength(1);
  });

  it("opens a new conversation for the person's next message once their last one is complete", async () => {
    const first = await personWrote("psid-again");
    expect((await call("POST", `/api/conversations/${first}/complete`, { as: await admin() })).status).toBe(200);
    const body = messengerEvent(messengerText("psid-again", "m_again", "One more question"));
    await postToMessenger(body, await metaSignature(body));
    const next = (await storedWith("m_again"))[0]!.conversation_id;
    expect(next).not.toBe(first);
    expect((await call("GET", `/api/conversations/${first}`, { as: await admin() })).json.status).toBe("complete");
    const more = messengerEvent(messengerText("psid-again", "m_again_2", "And another"));
    await postToMessenger(more, await metaSignature(more));
    expect((await storedWith("m_again_2"))[0]!.conversation_id).toBe(next);
  });

  it("refuses a body with a missing, wrong or other secret's signature with 401, and keeps nothing of it", async () => {
    const body = messengerEvent(messengerText("psid-eve", "m_forged", "Forged"));
    for (const sig of [null, "sha256=00", await metaSignature(body, "another secret"), (await metaSignature(body)).replace("sha256=", "sha1=")]) {
      expect((await postToMessenger(body, sig)).status).toBe(401);
    }
    // Signed for other bytes: the signature covers the raw body, not its meaning.
    expect((await postToMessenger(body.replace("Forged", "Forged!"), await metaSignature(body))).status).toBe(401);
    expect(await storedWith("m_forged")).toEqual([]);
  });

  it("keeps the option a person chose and their attachments as links, and skips echoes of the page's own sends", async () => {
    const body = messengerEvent(
      { sender: { id: PAGE_ID }, recipient: { id: "psid-bo" }, timestamp: Date.now(), message: { mid: "m_echo", text: "Our own reply", is_echo: true, metadata: "parley" } },
      messengerText("psid-bo", "m_choice", "Track my order", { quick_reply: { payload: "TRACK" } }),
      {
        sender: { id: "psid-bo" },
        recipient: { id: PAGE_ID },
        timestamp: Date.now(),
        message: {
          mid: "m_photo",
          attachments: [
            { type: "image", payload: { url: "https://cdn.example/photo.jpg" } },
            { type: "fallback", payload: null },
          ],
        },
      },
      { sender: { id: "psid-bo" }, recipient: { id: PAGE_ID }, timestamp: Date.now(), delivery: { mids: ["m_x"], watermark: Date.now() } },
    );
    expect(await postToMessenger(body, await metaSignature(body))).toMatchObject({ status: 200, json: { received: 2 } });
    expect(await storedWith("m_echo")).toEqual([]);
    expect((await storedWith("m_choice"))[0]!.body).toBe("Track my order");
    expect((await storedWith("m_photo"))[0]!.body).toBe("[image] https://cdn.example/photo.jpg\n[fallback]");
  });

  it("keeps what a page admin sent from Meta's own inbox as the page's reply, in the person's conversation, once", async () => {
    const conversationId = await personWrote("psid-inbox");
    const echo = messengerEvent({
      sender: { id: PAGE_ID },
      recipient: { id: "psid-inbox" },
      timestamp: Date.now(),
      message: { mid: "m_from_inbox", text: "Answered from the Page inbox", is_echo: true, app_id: 263902037430900 },
    });
    for (let i = 0; i < 2; i++) expect((await postToMessenger(echo, await metaSignature(echo))).status).toBe(200);
    expect(await storedWith("m_from_inbox")).toEqual([expect.objectContaining({ conversation_id: conversationId, direction: "out", body: "Answered from the Page inbox" })]);
    const thread = (await call("GET", `/api/conversations/${conversationId}/messages`, { as: await admin() })).json.items;
    expect(thread.at(-1)).toMatchObject({ direction: "out", status: "sent", author: { type: "agent", id: null, name: "Page" } });
    // Not the person writing: the conversation stays as unread as it was, with one message from them.
    expect((await call("GET", `/api/conversations/${conversationId}`, { as: await admin() })).json).toMatchObject({ unreadCount: 1 });
  });

  it("answers 200 to a signed body of another object or an unknown shape, storing nothing", async () => {
    for (const body of [JSON.stringify({ object: "instagram", entry: [] }), "not json", JSON.stringify({ entry: "nope" })]) {
      expect((await postToMessenger(body, await metaSignature(body))).status).toBe(200);
    }
  });
});

/** A person who wrote `ago` ms back; their conversation's id. */
async function personWrote(psid: string, ago = 0) {
  const mid = `m_${psid}_${ago}`;
  const body = messengerEvent({ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: Date.now() - ago, message: { mid, text: "Hello?" } });
  await postToMessenger(body, await metaSignature(body));
  return (await storedWith(mid))[0]!.conversation_id;
}

afterEach(() => vi.restoreAllMocks());

describe("replies on Messenger", () => {
  it("goes to the person on Messenger by default, through Meta's Send API, and keeps Meta's id", async () => {
    const conversationId = await personWrote("psid-reply");
    const sent = metaAnswers(200, { recipient_id: "psid-reply", message_id: "m_reply_1" });
    const reply = await call("POST", `/api/conversations/${conversationId}/messages`, { as: await admin(), body: { body: "Yes, we ship to Lisbon." } });
    expect(reply).toMatchObject({ status: 201, json: { channel: "messenger", status: "sent", externalId: "m_reply_1" } });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`${GRAPH}/${PAGE_ID}/messages`);
    expect(sent[0]!.headers.get("authorization")).toBe(`Bearer ${PAGE_TOKEN}`);
    // Meta echoes the metadata back: that is how Parley tells its own sends from the Page inbox's.
    expect(sent[0]!.body).toEqual({ recipient: { id: "psid-reply" }, messaging_type: "RESPONSE", message: { text: "Yes, we ship to Lisbon.", metadata: "parley" } });
  });

  it("records Meta's refusal as the reply's failure reason", async () => {
    const conversationId = await personWrote("psid-refused");
    metaAnswers(400, { error: { message: "(#551) This person isn't available right now.", code: 551 } });
    const reply = await call("POST", `/api/conversations/${conversationId}/messages`, { as: await admin(), body: { channel: "messenger", body: "Hello" } });
    expect(reply.json).toMatchObject({ status: "failed", statusReason: "(#551) This person isn't available right now. (Meta error 551)" });
  });

  it("Meta's delivery and read reports mark the replies delivered, never back to sent", async () => {
    const conversationId = await personWrote("psid-reports");
    metaAnswers(200, { recipient_id: "psid-reports", message_id: "m_out_1" });
    const first = await call("POST", `/api/conversations/${conversationId}/messages`, { as: await admin(), body: { body: "First" } });
    vi.restoreAllMocks();
    metaAnswers(200, { recipient_id: "psid-reports", message_id: "m_out_2" });
    const second = await call("POST", `/api/conversations/${conversationId}/messages`, { as: await admin(), body: { body: "Second" } });
    const statusOf = async (id: string) => (await env.DB.prepare("SELECT status FROM messages WHERE id = ?").bind(id).first<{ status: string }>())?.status;
    const until = async (id: string, status: string) => {
      for (let i = 0; i < 50 && (await statusOf(id)) !== status; i++) await new Promise((r) => setTimeout(r, 20));
      return statusOf(id);
    };
    expect(await until(second.json.id, "sent")).toBe("sent");

    const delivered = messengerEvent({ sender: { id: "psid-reports" }, recipient: { id: PAGE_ID }, timestamp: Date.now(), delivery: { mids: ["m_out_1"], watermark: Date.now() } });
    expect((await postToMessenger(delivered, await metaSignature(delivered))).status).toBe(200);
    expect(await until(first.json.id, "delivered")).toBe("delivered");
    expect(await statusOf(second.json.id)).toBe("sent");

    const read = messengerEvent({ sender: { id: "psid-reports" }, recipient: { id: PAGE_ID }, timestamp: Date.now(), read: { watermark: Date.now() } });
    expect((await postToMessenger(read, await metaSignature(read))).status).toBe(200);
    expect(await until(second.json.id, "delivered")).toBe("delivered");
    const thread = await call("GET", `/api/conversations/${conversationId}/messages`, { as: await admin() });
    expect(thread.json.items.filter((m: { direction: string }) => m.direction === "out").map((m: { status: string }) => m.status)).toEqual(["delivered", "delivered"]);

    // A late report cannot take a reply back, and a failure is final.
    await updateDelivery(env as Env, "messenger", "m_out_1", "sent");
    expect(await statusOf(first.json.id)).toBe("delivered");
    await updateDelivery(env as Env, "messenger", "m_out_2", "failed", "Blocked by the person");
    await updateDelivery(env as Env, "messenger", "m_out_2", "delivered");
    expect(await until(second.json.id, "failed")).toBe("failed");
    const after = await call("GET", `/api/conversations/${conversationId}/messages`, { as: await admin() });
    expect(after.json.items.filter((m: { direction: string }) => m.direction === "out").map((m: { status: string }) => m.status)).toEqual(["delivered", "failed"]);
  });

  it("opens and closes the window at its edges: 23:59 and 24:01 after the person's message; 7 days with the tag", async () => {
    const MINUTE = 60_000;
    const answer = async (psid: string, ago: number) => {
      vi.restoreAllMocks();
      metaAnswers(200, { recipient_id: psid, message_id: `m_edge_${psid}` });
      return (await call("POST", `/api/conversations/${await personWrote(psid, ago)}/messages`, { as: await admin(), body: { channel: "messenger", body: "Edge" } })).status;
    };
    expect(await answer("psid-edge-a", DAY - MINUTE)).toBe(201);
    expect(await answer("psid-edge-b", DAY + MINUTE)).toBe(409);
    await call("PUT", "/api/settings", { as: await admin(), body: { messenger: { humanAgent: true } } });
    try {
      expect(await answer("psid-edge-c", 7 * DAY - MINUTE)).toBe(201);
      expect(await answer("psid-edge-d", 7 * DAY + MINUTE)).toBe(409);
      // The composer is told when the window closes.
      const options = (await call("GET", `/api/conversations/${await personWrote("psid-edge-e", DAY)}/reply-options`, { as: await admin() })).json;
      expect(options).toMatchObject({ default: "messenger", channels: expect.arrayContaining([expect.objectContaining({ channel: "messenger", reason: null })]) });
      const closesAt = options.channels.find((c: any) => c.channel === "messenger").closesAt;
      expect(Math.abs(closesAt - (Date.now() + 6 * DAY))).toBeLessThan(10 * MINUTE);
    } finally {
      await call("PUT", "/api/settings", { as: await admin(), body: { messenger: { humanAgent: false } } });
    }
  });

  it("past 24 hours is 409 outside_messaging_window and sends nothing, unless Settings allow the human-agent tag (until 7 days)", async () => {
    const conversationId = await personWrote("psid-late", 2 * DAY);
    const sent = metaAnswers(200, { recipient_id: "psid-late", message_id: "m_late" });
    // The conversation's activity is the person's message, two days ago, not when Parley opened it.
    const opened = (await call("GET", `/api/conversations/${conversationId}`, { as: await admin() })).json;
    expect(opened).toMatchObject({ preview: "Hello?" });
    expect(Math.abs(opened.lastMessageAt - (Date.now() - 2 * DAY))).toBeLessThan(60_000);
    const late = await call("POST", `/api/conversations/${conversationId}/messages`, { as: await admin(), body: { channel: "messenger", body: "Sorry for the wait" } });
    expect(late).toMatchObject({ status: 409, json: { error: { code: "outside_messaging_window" } } });
    expect(sent).toEqual([]);

    await call("PUT", "/api/settings", { as: await admin(), body: { messenger: { humanAgent: true } } });
    try {
      const tagged = await call("POST", `/api/conversations/${conversationId}/messages`, { as: await admin(), body: { channel: "messenger", body: "Sorry for the wait" } });
      expect(tagged.json).toMatchObject({ status: "sent" });
      expect(sent[0]!.body).toMatchObject({ messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT" });
      const older = await personWrote("psid-older", 8 * DAY);
      expect((await call("POST", `/api/conversations/${older}/messages`, { as: await admin(), body: { channel: "messenger", body: "Hi" } })).status).toBe(409);
    } finally {
      await call("PUT", "/api/settings", { as: await admin(), body: { messenger: { humanAgent: false } } });
    }
  });
});
