// Another website cannot act with an agent's cookie: no form post, no forged fetch, no socket,
// no framing. CRMs with a Bearer token and the widget (cross-origin by design) are unaffected.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, call, OWNER, signIn, type Session } from "./helpers";
import { Live, newVisitor, startChat } from "./chat";

const ELSEWHERE = "https://evil.example";
const HERE = "https://parley.test";

let owner: Session;
beforeAll(async () => {
  owner = await admin();
});

const tokens = async () => (await call("GET", "/api/tokens", { as: owner })).json.items;
const users = async () => (await call("GET", "/api/users", { as: owner })).json.items;
const settings = async () => (await call("GET", "/api/settings", { as: owner })).json;

/** What a browser sends for a form or fetch on `origin` riding the owner's cookie. */
const fromPage = (origin: string, site: string, contentType: string) => ({ origin, "sec-fetch-site": site, "content-type": contentType, cookie: owner.cookie! });

const WRITES = [
  ["POST", "/api/tokens", { name: "stolen" }],
  ["POST", "/api/users", { email: "mallory@evil.example", name: "Mallory", password: "mallory password", role: "admin" }],
  ["PUT", "/api/settings", { identitySecret: "attacker-chosen" }],
] as const;

describe("a page on another site riding an admin's cookie", () => {
  it("cannot create API tokens, admins or settings with a text/plain form post", async () => {
    const [tokensBefore, usersBefore, settingsBefore] = [await tokens(), await users(), await settings()];
    for (const [method, path, body] of WRITES) {
      // An HTML form may post text/plain without asking the server first; Origin is the only tell.
      const res = await call(method, path, { raw: JSON.stringify(body), headers: { origin: ELSEWHERE, "content-type": "text/plain", cookie: owner.cookie! } });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json).toEqual({ error: { code: "cross_origin", message: expect.any(String) } });
    }
    expect(await tokens()).toEqual(tokensBefore);
    expect(await users()).toEqual(usersBefore);
    expect(await settings()).toEqual(settingsBefore);
  });

  it("cannot write with JSON either, when the browser says the request is cross-site or same-site", async () => {
    for (const site of ["cross-site", "same-site"]) {
      for (const [method, path, body] of WRITES) {
        const res = await call(method, path, { raw: JSON.stringify(body), headers: fromPage("https://other.parley.test", site, "application/json") });
        expect(res.status, `${site} ${method} ${path}`).toBe(403);
        expect(res.json.error.code).toBe("cross_origin");
      }
      // Sec-Fetch-Site alone is enough, for browsers that do not send Origin.
      const res = await call("POST", "/api/tokens", { raw: '{"name":"stolen"}', headers: { "sec-fetch-site": site, "content-type": "application/json", cookie: owner.cookie! } });
      expect(res.status).toBe(403);
    }
    expect(await tokens()).toEqual([]);
  });

  it("cannot sign the admin out", async () => {
    const session = await signIn(OWNER.email, OWNER.password);
    const res = await call("POST", "/api/auth/logout", { headers: { origin: ELSEWHERE, cookie: session.cookie! } });
    expect(res.status).toBe(403);
    expect((await call("GET", "/api/me", { as: session })).status).toBe(200);
  });

  it("cannot open the admin's live inbox or a conversation's live socket", async () => {
    const conversationId = await startChat(await newVisitor());
    for (const path of ["/api/live", `/api/conversations/${conversationId}/live`]) {
      await expect(Live.open(path, { origin: ELSEWHERE, cookie: owner.cookie! }), path).rejects.toMatchObject({ status: 403, json: { error: { code: "cross_origin" } } });
    }
    const ours = await Live.open("/api/live", { origin: HERE, "sec-fetch-site": "same-origin", cookie: owner.cookie! });
    await ours.waitFor((f) => f.type === "ready");
    ours.close();
  });
});

describe("requests that stay allowed", () => {
  it("the agent UI's own same-origin JSON writes", async () => {
    const res = await call("POST", "/api/tokens", { raw: '{"name":"from the UI"}', headers: fromPage(HERE, "same-origin", "application/json; charset=utf-8") });
    expect(res.status).toBe(201);
  });

  it("a CRM's Bearer writes, with no Origin or any", async () => {
    const { token } = (await call("POST", "/api/tokens", { as: owner, body: { name: "CRM" } })).json;
    expect((await call("POST", "/api/contacts", { as: { token }, body: { firstName: "Carl" } })).status).toBe(201);
    expect((await call("POST", "/api/contacts", { as: { token }, body: { firstName: "Cora" }, headers: { origin: ELSEWHERE, "sec-fetch-site": "cross-site" } })).status).toBe(201);
  });

  it("the widget, from customers' websites, over HTTP and its socket", async () => {
    const visitors = await call("POST", "/api/widget/visitors", { headers: { origin: ELSEWHERE, "sec-fetch-site": "cross-site" } });
    expect(visitors.status).toBe(201);
    const conversationId = await startChat(visitors.json.token);
    const query = new URLSearchParams({ token: visitors.json.token, conversation: conversationId });
    const socket = await Live.open(`/api/widget/live?${query}`, { origin: ELSEWHERE });
    await socket.waitFor((f) => f.type === "ready");
    socket.close();
  });
});

describe("request bodies", () => {
  it("are JSON, declared as such: any other content type is refused with 415", async () => {
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await call("POST", "/api/contacts", { as: owner, raw: '{"firstName":"Ann"}', headers: { "content-type": contentType } });
      expect(res.status, contentType).toBe(415);
      expect(res.json).toEqual({ error: { code: "unsupported_media_type", message: expect.any(String) } });
    }
    const untyped = await call("POST", "/api/contacts", { as: owner, raw: new Blob(['{"firstName":"Ann"}']) });
    expect(untyped.status).toBe(415);
  });
});

describe("framing", () => {
  it("no page may frame Parley: the API's answers and the agent UI's say so", async () => {
    for (const res of [await call("GET", "/api/me", { as: owner }), await call("GET", "/api/nothing-here")]) {
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
    for (const page of ["/", "/inbox/some-conversation"]) {
      const ui = await env.ASSETS.fetch(`${HERE}${page}`, { headers: { "sec-fetch-mode": "navigate" } });
      expect(await ui.text()).toContain('<div id="app">');
      expect(ui.headers.get("x-frame-options")).toBe("DENY");
      // The UI's own policy, with framing refused (a <meta> policy cannot refuse framing).
      expect(ui.headers.get("content-security-policy")).toMatch(/script-src 'self'.*frame-ancestors 'none'/);
    }
  });
});
