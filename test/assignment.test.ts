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
  });

  it("refuses an unknown or disabled teammate, and an agent for an SMS conversation (SMS is for admins)", async () => {
    const conversationId = await startChat(await newVisitor(), "Hello");
    expect(await assign(conversationId, "nobody")).toMatchObject({ status: 400, json: { error: { code: "invalid_assignee" } } });
    const gone = await call("POST", "/api/users", { as: owner, body: { email: "gone@parley.test", name: "Gone Agent", password: "agent password", role: "agent" } });
    await call("PATCH", `/api/users/${gone.json.id}`, { as: owner, body: { disabled: true } });
    expect(await assign(conversationId, gone.json.id)).toMatchObject({ status: 400, json: { error: { code: "invalid_assignee", message: "Gone Agent can no longer sign in: choose another teammate." } } });
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
