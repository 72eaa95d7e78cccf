// Workspace settings: admins only, changed key by key, secrets never read back.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { loadSettings } from "../src/domain/settings";
import { admin, agent, call, type Session } from "./helpers";

let owner: Session;
beforeAll(async () => {
  owner = await admin();
});

const get = async () => (await call("GET", "/api/settings", { as: owner })).json;
const put = (body: unknown) => call("PUT", "/api/settings", { as: owner, body });
const stored = () => loadSettings(database(env.DB));

describe("settings", () => {
  it("are for admins only: an agent gets 403 and changes nothing", async () => {
    const andy = await agent("Andy Agent");
    expect((await call("GET", "/api/settings", { as: andy })).status).toBe(403);
    const put = await call("PUT", "/api/settings", { as: andy, body: { defaultCountry: "FR" } });
    expect(put.status).toBe(403);
    expect(put.json.error.code).toBe("forbidden");
    expect((await stored()).defaultCountry).toBe("US");
    expect((await call("GET", "/api/settings")).status).toBe(401);
  });

  it("start from defaults a fresh workspace can use", async () => {
    expect(await get()).toMatchObject({
      chatForm: { phone: "optional", account: "off", fullName: "optional" },
      defaultCountry: "US",
      identitySecret: "",
      messenger: { graphApiBaseUrl: "https://graph.facebook.com/v21.0", appSecret: "" },
      sms: { apiBaseUrl: "https://api.twilio.com", credits: 0 },
    });
  });

  it("change only the keys a PUT names, merging within a section", async () => {
    const res = await put({ chatForm: { phone: "required" }, email: { fromName: "Acme Support" } });
    expect(res.status).toBe(200);
    expect(res.json.chatForm).toEqual({ phone: "required", account: "off", fullName: "optional" });
    expect(res.json.email).toEqual({ inboundAddress: "", fromName: "Acme Support" });

    await put({ chatForm: { account: "optional" } });
    const after = await get();
    expect(after.chatForm).toEqual({ phone: "required", account: "optional", fullName: "optional" });
    expect(after.email.fromName).toBe("Acme Support");
    expect(after.defaultCountry).toBe("US");
  });

  it("keep secrets write-only: read back masked, and a masked value sent back leaves the secret as it was", async () => {
    const appSecret = "app-secret-0123456789abcdef";
    await put({ identitySecret: "widget-hmac-secret-value", messenger: { pageId: "1234567890", appSecret, verifyToken: "abcd" }, sms: { authToken: "tw1l10-auth-token-xyz" } });
    const read = await get();
    expect(read.messenger.pageId).toBe("1234567890");
    // Not a character of any secret, however long: the same mask for every one that is set.
    const mask = read.identitySecret;
    expect(mask).toMatch(/^•+$/);
    expect([read.messenger.appSecret, read.messenger.verifyToken, read.sms.authToken]).toEqual([mask, mask, mask]);
    expect(read.ai.apiKey).toBe("");

    // The settings form sends everything back as it read it, with one real change.
    const resent = await put({ ...read, messenger: { ...read.messenger, pageId: "999" } });
    expect(resent.status).toBe(200);
    const secrets = await stored();
    expect(secrets.messenger).toMatchObject({ pageId: "999", appSecret, verifyToken: "abcd" });
    expect(secrets.identitySecret).toBe("widget-hmac-secret-value");
    expect(secrets.sms.authToken).toBe("tw1l10-auth-token-xyz");

    await put({ messenger: { appSecret: "" } });
    expect((await stored()).messenger.appSecret).toBe("");
    expect((await get()).messenger.appSecret).toBe("");
  });

  it("refuse an invalid default country, naming the field, and take a lower-case code", async () => {
    const bad = await put({ defaultCountry: "XX" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toContainEqual(expect.objectContaining({ path: "defaultCountry" }));
    expect((await put({ defaultCountry: "gb" })).json.defaultCountry).toBe("GB");
    expect((await stored()).defaultCountry).toBe("GB");
  });

  it("refuse keys and values they do not know with 400, changing nothing", async () => {
    const before = await get();
    for (const body of [
      { colour: "red" },
      { chatForm: { phone: "sometimes" } },
      { messenger: { graphApiBaseUrl: "ftp://graph.example" } },
      { sms: { credits: -5 } },
      { email: { inboundAddress: "not an address" } },
      { chatForm: "required" },
    ]) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe("invalid_input");
    }
    expect(await get()).toEqual(before);
  });
});
