import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { admin, agent, anyClient, call, OWNER } from "./helpers";

describe("first run and signing in", () => {
  it("creates the first admin once, then refuses a second setup with 409", async () => {
    expect((await call("GET", "/api/setup")).json).toEqual({ needed: true });
    const first = await call("POST", "/api/setup", { body: { ...OWNER, email: " Owner@Parley.test " } });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ email: OWNER.email, role: "admin" });
    const cookie = first.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);

    const me = await call("GET", "/api/me", { as: { cookie: cookie.split(";")[0] } });
    expect(me.json).toMatchObject({ email: OWNER.email, name: OWNER.name });
    expect(me.json.passwordHash).toBeUndefined();

    const again = await call("POST", "/api/setup", { body: { email: "x@parley.test", password: "long enough", name: "X" } });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("already_set_up");
    expect((await call("GET", "/api/setup")).json).toEqual({ needed: false });
  });

  it("signs in with the right password only, and signs out", async () => {
    await admin();
    const wrong = await call("POST", "/api/auth/login", { body: { email: "owner@parley.test", password: "wrong password" } });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe("invalid_credentials");

    const right = await call("POST", "/api/auth/login", { body: { email: "OWNER@parley.test", password: "correct horse" } });
    expect(right.status).toBe(200);
    const session = { cookie: right.headers.get("set-cookie")!.split(";")[0] };
    expect((await call("GET", "/api/me", { as: session })).status).toBe(200);

    await call("POST", "/api/auth/logout", { as: session });
    expect((await call("GET", "/api/me", { as: session })).status).toBe(401);
  });

  it("answers 401 with the error shape when nobody is signed in", async () => {
    const res = await call("GET", "/api/conversations");
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });
});

describe("roles", () => {
  it("lets an admin add agents and refuses admin routes to agents with 403", async () => {
    const andy = await agent("Andy Agent");
    expect((await call("GET", "/api/conversations", { as: andy })).status).toBe(200);
    for (const [method, path, body] of [
      ["GET", "/api/users", undefined],
      ["POST", "/api/users", { email: "x@y.test", name: "X", password: "12345678", role: "admin" }],
      ["GET", "/api/tokens", undefined],
      ["POST", "/api/tokens", { name: "crm" }],
      ["GET", "/api/settings", undefined],
      ["PUT", "/api/settings", { defaultCountry: "GB" }],
    ] as const) {
      const res = await call(method, path, { as: andy, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.error.code).toBe("forbidden");
    }
  });

  it("lets an admin promote an agent, who then reaches admin routes", async () => {
    const owner = await admin();
    const created = await call("POST", "/api/users", { as: owner, body: { email: "bea@parley.test", name: "Bea", password: "bea password" } });
    expect(created.json.role).toBe("agent");
    const promoted = await call("PATCH", `/api/users/${created.json.id}`, { as: owner, body: { role: "admin" } });
    expect(promoted.json.role).toBe("admin");
    const login = await call("POST", "/api/auth/login", { body: { email: "bea@parley.test", password: "bea password" } });
    const bea = { cookie: login.headers.get("set-cookie")!.split(";")[0] };
    expect((await call("GET", "/api/users", { as: bea })).status).toBe(200);
  });

  it("keeps the last admin an admin", async () => {
    const owner = await admin();
    const me = await call("GET", "/api/me", { as: owner });
    const others = (await call("GET", "/api/users", { as: owner })).json.items.filter((u: any) => u.role === "admin" && u.id !== me.json.id);
    for (const other of others) await call("PATCH", `/api/users/${other.id}`, { as: owner, body: { role: "agent" } });
    const res = await call("PATCH", `/api/users/${me.json.id}`, { as: owner, body: { role: "agent" } });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("last_admin");
  });

  it("refuses a second user with the same email with 409", async () => {
    const owner = await admin();
    const res = await call("POST", "/api/users", { as: owner, body: { email: "owner@parley.test", name: "Dup", password: "12345678" } });
    expect(res.status).toBe(409);
  });
});

describe("API tokens", () => {
  it("shows a token once, accepts it as Bearer, and stops accepting it when revoked", async () => {
    const owner = await admin();
    const created = await call("POST", "/api/tokens", { as: owner, body: { name: "CRM sync" } });
    expect(created.status).toBe(201);
    const token = created.json.token as string;
    expect(token).toMatch(/^pk_/);

    const listed = await call("GET", "/api/tokens", { as: owner });
    expect(listed.json.items).toHaveLength(1);
    expect(JSON.stringify(listed.json)).not.toContain(token);

    expect((await call("GET", "/api/contacts", { as: { token } })).status).toBe(200);
    expect((await call("DELETE", `/api/tokens/${created.json.id}`, { as: owner })).status).toBe(200);
    expect((await call("GET", "/api/contacts", { as: { token } })).status).toBe(401);
    expect((await call("DELETE", `/api/tokens/${created.json.id}`, { as: owner })).status).toBe(404);
  });
});

describe("guessing passwords", () => {
  const login = (email: string, password: string, client = anyClient()) => call("POST", "/api/auth/login", { body: { email, password }, headers: { "cf-connecting-ip": client } });

  async function account(email: string) {
    const created = await call("POST", "/api/users", { as: await admin(), body: { email, name: "Target", password: "the real password" } });
    expect(created.status).toBe(201);
    return created.json;
  }

  // The limits count per minute of the clock (a new minute starts from zero): each test's guesses
  // start with time to spare in one, so they are all counted together.
  beforeEach(async () => {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
  }, 20_000);
  afterEach(() => vi.restoreAllMocks());

  it("refuses the right password with 429 after 60 wrong guesses from one client", async () => {
    await account("gus@parley.test");
    const client = "198.51.100.7";
    const statuses = [];
    for (let i = 0; i < 60; i++) statuses.push((await login("gus@parley.test", `guess ${i}`, client)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(50).fill(429));
    const right = await login("gus@parley.test", "the real password", client);
    expect(right.status).toBe(429);
    expect(right.json).toEqual({ error: { code: "rate_limited", message: expect.any(String) } });
    expect(right.headers.get("set-cookie")).toBeNull();
  });

  it("refuses guesses at one account spread over many client addresses", async () => {
    await account("hana@parley.test");
    for (let i = 0; i < 10; i++) expect((await login("HANA@parley.test ", `guess ${i}`)).status).toBe(401);
    expect((await login("hana@parley.test", "guess 11")).status).toBe(429);
    expect((await login("hana@parley.test", "the real password")).status).toBe(429);
    // Accounts that do not exist are counted the same way, so the answers do not tell them apart.
    for (let i = 0; i < 10; i++) expect((await login("nobody@parley.test", `guess ${i}`)).status).toBe(401);
    expect((await login("nobody@parley.test", "guess 11")).status).toBe(429);
  });

  it("refuses one client guessing across many accounts", async () => {
    await account("ida@parley.test");
    const client = "198.51.100.8";
    for (let i = 0; i < 30; i++) expect((await login(`someone${i}@parley.test`, "a guess", client)).status).toBe(401);
    expect((await login("ida@parley.test", "the real password", client)).status).toBe(429);
    expect((await login("ida@parley.test", "the real password")).status).toBe(200);
  });

  it("costs an unknown or disabled account the same password hashing as a known one", async () => {
    const disabled = await account("jo@parley.test");
    await call("PATCH", `/api/users/${disabled.id}`, { as: await admin(), body: { disabled: true } });
    const derive = vi.spyOn(crypto.subtle, "deriveBits");
    const hashingFor = async (email: string) => {
      derive.mockClear();
      expect((await login(email, "a wrong password")).status).toBe(401);
      return derive.mock.calls.map(([params]) => {
        const { name, iterations } = params as { name: string; iterations: number };
        return { name, iterations };
      });
    };
    const known = await hashingFor(OWNER.email);
    expect(known).toEqual([{ name: "PBKDF2", iterations: 100_000 }]);
    expect(await hashingFor("no-such-agent@parley.test")).toEqual(known);
    expect(await hashingFor("jo@parley.test")).toEqual(known);
  });
});
