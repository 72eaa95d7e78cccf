// Assignment: whose conversation it is, shared by every agent, live, and the inbox filtered by it.
import { beforeAll, describe, expect, it } from "vitest";
import { Live, newVisitor, startChat } from "./chat";
import { admin, agent, call, type Session } from "./helpers";
import { from, receive } from "./inbound";

let owner: Session;
let andy: Session;
let bea: Session;
const ids: Record<string, string> = {};
beforeAll(async () => {
  owner = await admin();
  andy = await agent("Andy Agent");
  bea = await agent("Bea Agent");
  const team = (await call("GET", "/api/teammates", { as: andy })).json.items as { id: string; name: string }[];
  for (const person of team) ids[person.name] = person.id;
});

const assign = (conversationId: string, userId: string | null, as = andy) => call("PUT", `/api/conversations/${conversationId}/assignee`, { as, body: { userId } });
const listed = async (query: string, as = andy) => ((await call("GET", `/api/conversations?status=all&limit=100&${query}`, { as })).json.items as { id: string }[]).map((c) => c.id);

describe("assigning a conversation", () => {
  it("is shared by every agent, and filters the inbox by mine, unassigned and a teammate", async () => {
    const conversationId = await startChat(await newVisitor(), "Who will help me?");
    expect((await call("GET", `/api/conversations/${conversationId}`, { as: bea })).json.assignee).toBeNull();
    expect(await listed("assignee=none")).toContain(conversationId);

    const taken = await assign(conversationId, ids["Andy Agent"]!);
    expect(taken).toMatchObject({ status: 200, json: { id: conversationId, assignee: ids["Andy Agent"] } });
    expect((await call("GET", `/api/conversations/${conversationId}`, { as: bea })).json.assignee).toBe(ids["Andy Agent"]);
    expect(await listed("assignee=me")).toContain(conversationId);
    expect(await listed("assignee=me", bea)).not.toContain(conversationId);
    expect(await listed(`assignee=${ids["Andy Agent"]}`, bea)).toContain(conversationId);
    expect(await listed("assignee=none")).not.toContain(conversationId);

    expect((await assign(conversationId, ids["Bea Agent"]!)).json.assignee).toBe(ids["Bea Agent"]);
    expect(await listed("assignee=me")).not.toContain(conversationId);
    expect(await listed("assignee=me", bea)).toContain(conversationId);

    expect((await assign(conversationId, null, bea)).json.assignee).toBeNull();
    expect(await listed("assignee=none")).toContain(conversationId);
  });

  it("goes live to every agent", async () => {
    const conversationId = await startChat(await newVisitor(), "Anyone there?");
    const feed = await Live.open("/api/live", { cookie: bea.cookie! });
    await feed.waitFor((f) => f.type === "ready");
    await assign(conversationId, ids["Andy Agent"]!);
    await feed.waitFor((f) => f.type === "conversation.updated" && f.conversation.id === conversationId && f.conversation.assignee === ids["Andy Agent"]);
    feed.close();
    await feed.closed;
  });

  it("refuses an unknown or disabled teammate, and an agent for an SMS conversation (SMS is for admins)", async () => {
    const conversationId = await startChat(await newVisitor(), "Hello");
    expect(await assign(conversationId, "nobody")).toMatchObject({ status: 400, json: { error: { code: "invalid_assignee" } } });
    const gone = await call("POST", "/api/users", { as: owner, body: { email: "gone@parley.test", name: "Gone Agent", password: "agent password", role: "agent" } });
    await call("PATCH", `/api/users/${gone.json.id}`, { as: owner, body: { disabled: true } });
    expect(await assign(conversationId, gone.json.id)).toMatchObject({
      status: 400,
      json: { error: { code: "invalid_assignee", message: "Gone Agent can no longer sign in: choose another teammate." } },
    });
    expect((await call("GET", "/api/teammates", { as: andy })).json.items.map((t: { name: string }) => t.name)).not.toContain("Gone Agent");

    const text = await receive("sms", [from.phone("+14155550160")], { externalId: "SM-assign-1", body: "By text" });
    expect(await assign(text.conversation.id, ids["Andy Agent"]!, owner)).toMatchObject({ status: 400, json: { error: { code: "invalid_assignee" } } });
    expect((await assign(text.conversation.id, ids["Andy Agent"]!, andy)).status).toBe(403);
    expect((await assign(text.conversation.id, ids["Olivia Owner"]!, owner)).json.assignee).toBe(ids["Olivia Owner"]);
    expect(await assign("missing", null)).toMatchObject({ status: 404 });
  });

  it("lists teammates by name for every signed-in user, without their emails", async () => {
    const team = (await call("GET", "/api/teammates", { as: andy })).json.items;
    expect(team.map((t: { name: string }) => t.name)).toEqual([...team.map((t: { name: string }) => t.name)].sort());
    expect(team[0]).toEqual({ id: expect.any(String), name: expect.any(String), role: expect.stringMatching(/^(admin|agent)$/) });
    expect((await call("GET", "/api/teammates")).status).toBe(401);
  });
});

describe("round-robin", () => {
  const next = (conversationId: string) => call("POST", `/api/conversations/${conversationId}/assign-next`, { as: andy });
  const online = async (session: Session) => {
    const feed = await Live.open("/api/live", { cookie: session.cookie! });
    await feed.waitFor((f) => f.type === "ready");
    return feed;
  };

  it("gives each new conversation to the online teammate with the fewest open ones, skipping whoever is offline", async () => {
    const cal = await agent("Cal Agent");
    const dee = await agent("Dee Agent");
    const team = (await call("GET", "/api/teammates", { as: andy })).json.items as { id: string; name: string }[];
    const id = (name: string) => team.find((t) => t.name === name)!.id;
    // Only Cal and Dee have the inbox open; everyone else here is offline.
    const feeds = [await online(cal), await online(dee)];
    try {
      const given: string[] = [];
      for (let i = 0; i < 4; i++) {
        const conversationId = await startChat(await newVisitor(), `Round ${i}`);
        const res = await next(conversationId);
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        given.push(res.json.assignee);
      }
      expect(given.filter((a) => a === id("Cal Agent"))).toHaveLength(2);
      expect(given.filter((a) => a === id("Dee Agent"))).toHaveLength(2);
      expect(given[0]).not.toBe(given[1]);

      // Dee goes offline: the next goes to Cal even with more open.
      feeds[1]!.close();
      await feeds[1]!.closed;
      const later = await startChat(await newVisitor(), "After Dee left");
      let assignee: string | null = null;
      for (let i = 0; i < 50 && assignee !== id("Cal Agent"); i++) {
        assignee = (await next(later)).json.assignee;
        if (assignee !== id("Cal Agent")) await new Promise((r) => setTimeout(r, 20));
      }
      expect(assignee).toBe(id("Cal Agent"));
    } finally {
      for (const feed of feeds) {
        feed.close();
        await feed.closed;
      }
    }
  });

  it("is 409 no_agent_online when nobody who may see it is online", async () => {
    const conversationId = await startChat(await newVisitor(), "Anyone?");
    // Feeds closed by the tests before may take a moment to leave.
    let answer = await next(conversationId);
    for (let i = 0; i < 50 && answer.status !== 409; i++) {
      await assign(conversationId, null);
      await new Promise((r) => setTimeout(r, 20));
      answer = await next(conversationId);
    }
    expect(answer).toMatchObject({ status: 409, json: { error: { code: "no_agent_online" } } });
  });
});
