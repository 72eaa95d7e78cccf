// Access that ends, ends everywhere: signing out, disabling a user, revoking an API token and
// changing a password end the HTTP access and close the live sockets it opened.
import { describe, expect, it } from "vitest";
import { admin, agent, call, signIn, type Session } from "./helpers";
import { clientId, Live, messageWith, newVisitor, startChat, widget } from "./chat";

const socketHeaders = (as: Session): Record<string, string> => (as.token ? { authorization: `Bearer ${as.token}` } : { cookie: as.cookie! });

/** A browser (or CRM) of `as` with the live inbox and one conversation open. */
async function watching(as: Session, conversationId: string) {
  const inbox = await Live.open("/api/live", socketHeaders(as));
  const room = await Live.open(`/api/conversations/${conversationId}/live`, socketHeaders(as));
  await inbox.waitFor((f) => f.type === "ready");
  await room.waitFor((f) => f.type === "ready");
  return { inbox, room };
}

/** How a socket ended, or "still open" if it did not within a moment. */
const ending = (live: Live) => Promise.race([live.closed, new Promise<string>((resolve) => setTimeout(() => resolve("still open"), 2_000))]);
const accessEnded = { code: 4401, reason: expect.any(String) };

async function customerChat() {
  const token = await newVisitor();
  const conversationId = await startChat(token, "Hello, my parcel is late");
  const says = (body: string) => widget(token, "POST", "/messages", { clientId: clientId(), body });
  return { conversationId, says };
}

async function expectLive(sockets: { inbox: Live; room: Live }, body: string) {
  await sockets.room.waitFor(messageWith(body));
  await sockets.inbox.waitFor((f) => f.type === "message.created" && f.message.body === body);
}

async function userId(as: Session): Promise<string> {
  return (await call("GET", "/api/me", { as })).json.id;
}

describe("ending access closes live sockets", () => {
  it("an agent who signs out stops receiving customers' messages on their open live feed and conversation", async () => {
    const chat = await customerChat();
    await agent("Andy Agent");
    const laptop = await signIn("andy.agent@parley.test", "agent password");
    const phone = await signIn("andy.agent@parley.test", "agent password");
    const onLaptop = await watching(laptop, chat.conversationId);
    const onPhone = await watching(phone, chat.conversationId);

    expect((await call("POST", "/api/auth/logout", { as: laptop })).status).toBe(200);
    expect(await ending(onLaptop.inbox)).toEqual(accessEnded);
    expect(await ending(onLaptop.room)).toEqual(accessEnded);
    expect((await call("GET", "/api/me", { as: laptop })).status).toBe(401);

    // Only that session ended: Andy's phone still follows the customer.
    await chat.says("Any news?");
    await expectLive(onPhone, "Any news?");
    expect(onLaptop.room.frames.some(messageWith("Any news?"))).toBe(false);
  });

  it("a disabled admin is signed out everywhere: sessions end, and sockets close, those of their API tokens too", async () => {
    const owner = await admin();
    const chat = await customerChat();
    const created = await call("POST", "/api/users", { as: owner, body: { email: "bea@parley.test", name: "Bea", password: "bea password", role: "admin" } });
    const bea = await signIn("bea@parley.test", "bea password");
    const crm = { token: (await call("POST", "/api/tokens", { as: bea, body: { name: "Bea's CRM" } })).json.token as string };
    const inBrowser = await watching(bea, chat.conversationId);
    const inCrm = await watching(crm, chat.conversationId);
    const ownerWatching = await watching(owner, chat.conversationId);

    expect((await call("PATCH", `/api/users/${created.json.id}`, { as: owner, body: { disabled: true } })).status).toBe(200);
    for (const socket of [inBrowser.inbox, inBrowser.room, inCrm.inbox, inCrm.room]) expect(await ending(socket)).toEqual(accessEnded);

    // Enabled again, Bea signs in afresh: the sessions she had are over, not just paused.
    await call("PATCH", `/api/users/${created.json.id}`, { as: owner, body: { disabled: false } });
    expect((await call("GET", "/api/me", { as: bea })).status).toBe(401);
    await chat.says("Hello?");
    await expectLive(ownerWatching, "Hello?");
  });

  it("an API token revoked stops its live sockets; the admin's own browser stays live", async () => {
    const owner = await admin();
    const chat = await customerChat();
    const created = (await call("POST", "/api/tokens", { as: owner, body: { name: "CRM sync" } })).json;
    const inCrm = await watching({ token: created.token }, chat.conversationId);
    const inBrowser = await watching(owner, chat.conversationId);

    expect((await call("DELETE", `/api/tokens/${created.id}`, { as: owner })).status).toBe(200);
    expect(await ending(inCrm.inbox)).toEqual(accessEnded);
    expect(await ending(inCrm.room)).toEqual(accessEnded);
    await chat.says("Still waiting");
    await expectLive(inBrowser, "Still waiting");
  });

  it("an admin who changes their own password signs out their other sessions, and stays signed in where they changed it", async () => {
    const owner = await admin();
    const chat = await customerChat();
    const cleo = (await call("POST", "/api/users", { as: owner, body: { email: "cleo@parley.test", name: "Cleo", password: "cleo password", role: "admin" } })).json;
    const atDesk = await signIn("cleo@parley.test", "cleo password");
    const onPhone = await signIn("cleo@parley.test", "cleo password");
    const here = await watching(atDesk, chat.conversationId);
    const there = await watching(onPhone, chat.conversationId);

    expect((await call("PATCH", `/api/users/${cleo.id}`, { as: atDesk, body: { password: "a new password" } })).status).toBe(200);
    expect(await ending(there.inbox)).toEqual(accessEnded);
    expect(await ending(there.room)).toEqual(accessEnded);
    expect((await call("GET", "/api/me", { as: onPhone })).status).toBe(401);
    expect((await call("GET", "/api/me", { as: atDesk })).status).toBe(200);
    await chat.says("Are you there?");
    await expectLive(here, "Are you there?");
  });

  it("an admin who changes an agent's password signs that agent out everywhere", async () => {
    const owner = await admin();
    const chat = await customerChat();
    const andy = await agent("Andy Agent");
    const andyId = await userId(andy);
    const sockets = await watching(andy, chat.conversationId);

    expect((await call("PATCH", `/api/users/${andyId}`, { as: owner, body: { password: "andy's new one" } })).status).toBe(200);
    expect(await ending(sockets.inbox)).toEqual(accessEnded);
    expect(await ending(sockets.room)).toEqual(accessEnded);
    expect((await call("GET", "/api/me", { as: andy })).status).toBe(401);
    expect((await call("GET", "/api/me", { as: await signIn("andy.agent@parley.test", "andy's new one") })).status).toBe(200);
  });
});
