// Inputs that have a natural bound are held to it at the door, with a message that says which.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, agent, call, OWNER, type Session } from "./helpers";

let owner: Session;
let andy: Session;
beforeAll(async () => {
  owner = await admin();
  andy = await agent("Andy Agent");
});

describe("email addresses are held to RFC 5321's lengths", () => {
  const atLimit = `${"a".repeat(64)}@${"b".repeat(177)}.example.com`;
  const tooLong = `${"a".repeat(64)}@${"b".repeat(178)}.example.com`;
  const longLocal = `${"c".repeat(65)}@example.com`;

  it("a contact's email of up to 254 characters is kept; a longer one, or one with more than 64 before the @, is refused saying why", async () => {
    expect(atLimit.length).toBe(254);
    const kept = await call("POST", "/api/contacts", { as: andy, body: { firstName: "Long", email: atLimit } });
    expect(kept.status).toBe(201);
    expect(kept.json.email).toBe(atLimit);

    const whole = await call("POST", "/api/contacts", { as: andy, body: { email: tooLong } });
    expect(whole.status).toBe(400);
    expect(whole.json.error.details).toEqual([expect.objectContaining({ path: "email", message: "An email address has at most 254 characters." })]);
    const local = await call("PATCH", `/api/contacts/${kept.json.id}`, { as: andy, body: { email: longLocal } });
    expect(local.status).toBe(400);
    expect(local.json.error.details).toEqual([expect.objectContaining({ path: "email", message: "The part before the @ has at most 64 characters." })]);
  });

  it("a 200 KB 'email' is refused everywhere an email is asked for, and nothing is stored", async () => {
    const huge = `${"x".repeat(200_000)}@example.com`;
    const contacts = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM contacts").first<{ n: number }>())!.n;
    const before = await contacts();
    for (const [path, body, as] of [
      ["/api/contacts", { email: huge }, andy],
      ["/api/auth/login", { email: huge, password: OWNER.password }, undefined],
      ["/api/users", { email: huge, name: "Huge", password: "long enough" }, owner],
    ] as const) {
      const res = await call("POST", path, { as, body });
      expect(res.status, path).toBe(400);
      expect(res.json.error.details[0].message, path).toBe("An email address has at most 254 characters.");
    }
    expect(await contacts()).toBe(before);
    const inbound = await call("PUT", "/api/settings", { as: owner, body: { email: { inboundAddress: huge } } });
    expect(inbound.status).toBe(400);
    expect((await call("GET", "/api/settings", { as: owner })).json.email.inboundAddress).not.toBe(huge);
  });
});
