// The error contract: every refusal is {error: {code, message, details?}} with the right status,
// and no input a caller can send produces a 500.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, agent, call, OWNER, type Session } from "./helpers";
import { from, receive } from "./inbound";

let owner: Session;
let andy: Session;
beforeAll(async () => {
  owner = await admin();
  andy = await agent("Andy Agent");
});

const expectErrorShape = (res: { status: number; json: any }, where = "") => {
  expect(res.json, where).toEqual({ error: expect.objectContaining({ code: expect.stringMatching(/^[a-z][a-z0-9_]*$/), message: expect.any(String) }) });
  expect(
    Object.keys(res.json.error).every((k) => ["code", "message", "details"].includes(k)),
    where,
  ).toBe(true);
  expect(res.json.error.message.length, where).toBeGreaterThan(0);
};

describe("each error code of the contract", () => {
  it("400: invalid input, with zod's issues in details", async () => {
    const res = await call("POST", "/api/users", { as: owner, body: { email: "nope", name: "", password: "short", role: "boss" } });
    expect(res.status).toBe(400);
    expectErrorShape(res);
    expect(res.json.error.code).toBe("invalid_input");
    expect(res.json.error.details.map((d: any) => d.path).sort()).toEqual(["email", "name", "password", "role"]);
    for (const issue of res.json.error.details) expect(issue).toEqual({ path: expect.any(String), message: expect.any(String), code: expect.any(String) });
  });

  it("400: a body that is not JSON", async () => {
    for (const raw of ["{not json", '{"a":', "\u0000", "'single'"]) {
      const res = await call("POST", "/api/contacts", { as: andy, raw, headers: { "content-type": "application/json" } });
      expect(res.status, raw).toBe(400);
      expect(res.json.error.code).toBe("invalid_json");
    }
  });

  it("401: not signed in, a wrong token or an unknown session", async () => {
    for (const as of [undefined, { token: "pk_not_a_real_token" }, { cookie: "parley_session=forged" }]) {
      const res = await call("GET", "/api/contacts", { as });
      expect(res.status).toBe(401);
      expectErrorShape(res);
    }
  });

  it("403: an agent on an admin route", async () => {
    const res = await call("POST", "/api/tokens", { as: andy, body: { name: "mine" } });
    expect(res.status).toBe(403);
    expectErrorShape(res);
  });

  it("404: an unknown id, an unknown route, a method a route does not have", async () => {
    for (const [method, path] of [
      ["GET", "/api/contacts/unknown"],
      ["GET", "/api/nothing-here"],
      ["GET", "/api"],
      ["PUT", "/api/contacts"],
      ["DELETE", "/api/conversations/x"],
    ] as const) {
      const res = await call(method, path, { as: andy });
      expect(res.status, `${method} ${path}`).toBe(404);
      expectErrorShape(res);
      expect(res.json.error.code).toBe("not_found");
    }
  });

  it("409: a conflict", async () => {
    const res = await call("POST", "/api/setup", { body: OWNER });
    expect(res.status).toBe(409);
    expectErrorShape(res);
  });

  it("413: a body over the 1 MiB limit, whether its length is announced or streamed", async () => {
    const big = JSON.stringify({ firstName: "x".repeat(1024 * 1024) });
    const announced = await call("POST", "/api/contacts", { as: andy, raw: big, headers: { "content-type": "application/json" } });
    expect(announced.status).toBe(413);
    expectErrorShape(announced);

    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
        controller.close();
      },
    });
    const streamed = await exports.default.fetch("https://parley.test/api/contacts", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: andy.cookie! },
      body: stream,
    });
    expect(streamed.status).toBe(413);
    expectErrorShape({ status: streamed.status, json: await streamed.json() });
    // Just under the limit the body is read, and judged on what it says.
    const under = await call("POST", "/api/contacts", { as: andy, raw: JSON.stringify({ firstName: "x".repeat(1024 * 1024 - 100) }), headers: { "content-type": "application/json" } });
    expect(under.status).toBe(400);
    expect(under.json.error.details[0].path).toBe("firstName");
    const small = await call("POST", "/api/contacts", { as: andy, raw: JSON.stringify({ firstName: "Small", tags: ["x".repeat(50)] }), headers: { "content-type": "application/json" } });
    expect(small.status).toBe(201);
  });
});

describe("no input produces a 500", () => {
  const HOSTILE_STRINGS = [
    "",
    " ",
    "x".repeat(20_000),
    "ünïcödé 😀 \u202e\u200b",
    "\u0000\u0001",
    "'; DROP TABLE contacts; --",
    '" OR 1=1 --',
    "%",
    "_",
    "%_%",
    "\\",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "null",
    "NaN",
    "-1",
    "1e309",
    "+",
    "+0000000000000000000000",
    "{{contact.first_name}}",
  ];
  const HOSTILE_VALUES: unknown[] = [...HOSTILE_STRINGS, null, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, 3.5, true, [], ["a", 1, null], {}, { $gt: "" }, { nested: { deeper: [1, { x: "y" }] } }];
  const HOSTILE_BODIES: unknown[] = [
    null,
    [],
    [{}],
    "a string",
    42,
    true,
    {},
    { __proto__: { admin: true } },
    JSON.parse('{"__proto__": {"role": "admin"}}'),
    { constructor: { prototype: {} } },
    deep(500),
  ];
  const HOSTILE_IDS = ["x", "0", "-1", "%00", "%E0%A4%A", "..%2F..%2Fsettings", encodeURIComponent("'; DROP TABLE conversations; --"), encodeURIComponent("😀"), "a".repeat(2000), "%25", "_"];
  const HOSTILE_QUERIES = (names: string[]) => [
    ...names.flatMap((name) => HOSTILE_STRINGS.slice(0, 17).map((v) => `${name}=${encodeURIComponent(v)}`)),
    ...names.map((name) => `${name}=a&${name}=b`),
    ...names.map((name) => `${name}[]=a`),
    "cursor=W10&limit=0",
    `cursor=${btoa(JSON.stringify([1e308, "x"]))}`,
    `cursor=${btoa(JSON.stringify(["1", 2]))}`,
    `cursor=${btoa(JSON.stringify([1, "x".repeat(100)]))}`,
    `cursor=${btoa("null")}`,
    "limit=99999999999999999999",
    "limit=-5",
    "limit=2.5",
  ];

  function deep(levels: number): unknown {
    let node: unknown = "bottom";
    for (let i = 0; i < levels; i++) node = { a: node };
    return node;
  }

  it("answers every endpoint of the OpenAPI document, with hostile ids, queries and bodies, without a 500 and with the error shape", async () => {
    const doc = (await call("GET", "/api/openapi.json")).json;
    // Real ids too, so hostile input gets past "not found" into the rules behind it.
    const contact = (await call("POST", "/api/contacts", { as: andy, body: { firstName: "Target", email: "target@example.com" } })).json;
    const conversation = (await receive("sms", [from.phone("+14155552790")], { body: "target" })).conversation;
    const saved = (await call("POST", "/api/saved-responses", { as: andy, body: { category: "c", name: "n", body: "b" } })).json;
    const victim = (await call("POST", "/api/users", { as: owner, body: { email: "victim@parley.test", name: "Victim", password: "victim password" } })).json;
    const token = (await call("POST", "/api/tokens", { as: owner, body: { name: "victim" } })).json;
    const realIds: Record<string, string> = {
      contacts: contact.id,
      conversations: conversation.id,
      "saved-responses": saved.id,
      users: victim.id,
      tokens: token.id,
      attachments: "x",
    };

    const failures: string[] = [];
    let requests = 0;
    // Deletes last, so the real ids stay real for every other endpoint.
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .flatMap(([template, ops]) => Object.entries(ops).map(([method, op]) => ({ template, method, op })))
      .sort((a, b) => Number(a.method === "delete") - Number(b.method === "delete"));
    for (const { template, method, op } of operations) {
      // A fresh admin session each time: a hostile call may sign the caller out or change them.
      const as = await admin();
      const resource = template.split("/")[2]!;
      const ids = template.includes("{") ? [realIds[resource] ?? "x", ...HOSTILE_IDS] : [""];
      const urls = ids.map((id) => template.replace(/\{\w+\}/g, id));
      const queryNames: string[] = (op.parameters ?? []).filter((p: any) => p.in === "query").map((p: any) => p.name);
      const properties = Object.keys(op.requestBody?.content["application/json"].schema.properties ?? {});
      const attempts: { url: string; body?: unknown }[] = [];
      for (const url of urls) attempts.push({ url, body: op.requestBody ? {} : undefined });
      for (const query of HOSTILE_QUERIES([...queryNames, "unknown"])) attempts.push({ url: `${urls[0]}?${query}` });
      if (op.requestBody) {
        for (const body of HOSTILE_BODIES) attempts.push({ url: urls[0]!, body });
        for (const field of properties) for (const value of HOSTILE_VALUES) attempts.push({ url: urls[0]!, body: { [field]: value } });
        attempts.push({ url: urls[0]!, body: Object.fromEntries(properties.map((p) => [p, "x".repeat(5000)])) });
      }
      for (const { url, body } of attempts) {
        requests++;
        const res = await call(method.toUpperCase(), url, { as, body });
        const what = `${method.toUpperCase()} ${url.slice(0, 120)} ${JSON.stringify(body)?.slice(0, 120)} -> ${res.status}`;
        if (res.status >= 500) failures.push(`${what} ${JSON.stringify(res.json).slice(0, 200)}`);
        else if (res.status >= 400 && res.headers.get("content-type")?.includes("json")) {
          const shaped = res.json?.error && typeof res.json.error.code === "string" && typeof res.json.error.message === "string";
          if (!shaped) failures.push(`${what} unshaped ${JSON.stringify(res.json).slice(0, 200)}`);
        } else if (res.status >= 400) failures.push(`${what} not JSON`);
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(2000);
  }, 300_000);
});

describe("when D1 refuses for a moment", () => {
  /** D1 as it answers while overloaded or unreachable: every statement fails. */
  const refusingD1 = () => {
    const refuse = async () => {
      throw new Error("D1_ERROR: D1 DB is overloaded. Requests queued for too long.");
    };
    const statement = { bind: () => statement, all: refuse, first: refuse, run: refuse, raw: refuse };
    return { prepare: () => statement, batch: refuse, exec: refuse } as unknown as D1Database;
  };

  it("answers 503 with Retry-After, so a provider's webhook or a browser tries again, rather than a 500", async () => {
    const res = await call("GET", "/api/conversations", { as: await admin(), bindings: { DB: refusingD1() } });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.json.error.code).toBe("storage_unavailable");
    const webhook = await call("POST", "/webhooks/sms", { raw: "From=%2B14155550100&Body=hi", headers: { "content-type": "application/x-www-form-urlencoded" }, bindings: { DB: refusingD1() } });
    expect(webhook.status).toBe(503);
  });
});
