// The customer's language and the business's brand, on the server: the workspace language, the
// widget's appearance and texts per language, what a workflow and a transcript say to a person who
// wrote in Italian, and each agent's own UI language.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { clientId, Live, newVisitor, widget } from "./chat";
import { admin, agent, call, type Session } from "./helpers";
import { INBOUND, watchOutbox } from "./mail";

let owner: Session;
beforeAll(async () => {
  owner = await admin();
  await call("PUT", "/api/settings", { as: owner, body: { email: { inboundAddress: INBOUND, fromName: "Acme Support" } } });
});

const settings = (body: unknown) => call("PUT", "/api/settings", { as: owner, body });
const config = async (locale?: string) => (await call("GET", `/api/widget/config${locale ? `?locale=${encodeURIComponent(locale)}` : ""}`)).json;

/** A visitor whose widget speaks `locale`: the pre-chat form filled, the first message sent; their conversation. */
async function chatIn(locale: string | undefined, email: string, first = "Ciao") {
  const token = await newVisitor();
  expect((await widget(token, "POST", "/prechat", { email })).status).toBe(200);
  const res = await widget(token, "POST", "/messages", { clientId: clientId(), body: first, ...(locale && { locale }) });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { token, conversationId: res.json.conversationId as string };
}

const botSaid = async (conversationId: string) =>
  (await call("GET", `/api/conversations/${conversationId}/messages`, { as: owner })).json.items.filter((m: any) => m.author.type === "bot").map((m: any) => m.body);

afterEach(() => vi.restoreAllMocks());

describe("the workspace's language and the widget's appearance", () => {
  it("are settings an admin reads back, with defaults, changed key by key", async () => {
    const before = (await call("GET", "/api/settings", { as: owner })).json;
    expect(before.locale).toBe("en");
    expect(before.appearance).toEqual({ color: "#3b5bdb", position: "right", launcherLabel: "", teamName: "", greeting: "", awayText: "" });

    const saved = await settings({ locale: "it", appearance: { color: "#0B7285", position: "left" } });
    expect(saved.status).toBe(200);
    expect(saved.json.locale).toBe("it");
    expect(saved.json.appearance).toMatchObject({ color: "#0b7285", position: "left", greeting: "" });
    await settings({ appearance: { launcherLabel: "Chatta con noi" } });
    expect((await call("GET", "/api/settings", { as: owner })).json.appearance).toMatchObject({ color: "#0b7285", position: "left", launcherLabel: "Chatta con noi" });
    await settings({ locale: "en", appearance: { color: "#3b5bdb", position: "right", launcherLabel: "" } });
  });

  it("refuses a brand colour no text can be read on, a language Parley does not speak, and unknown keys", async () => {
    const grey = await settings({ appearance: { color: "#808080" } });
    expect(grey.status).toBe(400);
    expect(grey.json.error.details[0]).toMatchObject({ path: "appearance.color" });
    expect(grey.json.error.details[0].message).toMatch(/WCAG AA/);
    expect((await settings({ appearance: { color: "blue" } })).status).toBe(400);
    expect((await settings({ locale: "ja" })).status).toBe(400);
    expect((await settings({ texts: { ja: { greeting: "こんにちは" } } })).status).toBe(400);
    expect((await settings({ texts: { it: { farewell: "Ciao" } } })).status).toBe(400);
    expect((await call("GET", "/api/settings", { as: owner })).json.appearance.color).toBe("#3b5bdb");
  });

  it("are for admins only", async () => {
    const andy = await agent("Andy Languages");
    expect((await call("PUT", "/api/settings", { as: andy, body: { locale: "it" } })).status).toBe(403);
    expect((await call("GET", "/api/settings/texts", { as: andy })).status).toBe(403);
  });
});

describe("the widget's config", () => {
  it("speaks the language asked for, else the workspace's, with its defaults, and dark text on a light brand colour", async () => {
    const english = await config();
    expect(english).toMatchObject({
      locale: "en",
      appearance: { color: "#3b5bdb", onColor: "#ffffff", position: "right", teamName: "Acme Support", greeting: "Hi! How can we help?" },
      texts: { prechatIntro: "Tell us how to reach you, then write your message." },
      online: false,
    });
    expect((await config("it-CH")).locale).toBe("it");
    expect((await config("it-CH")).appearance.greeting).toBe("Ciao! Come possiamo aiutarti?");
    expect((await config("ru")).texts.prechatIntro).toBe("Расскажите, как с вами связаться, и напишите сообщение.");
    expect((await config("ja")).locale).toBe("en");

    await settings({ locale: "de", appearance: { color: "#ffd43b" } });
    const german = await config("ja");
    expect(german.locale).toBe("de");
    expect(german.appearance.onColor).toBe("#1d2433");
    expect(german.appearance.awayText).toBe("Wir sind gerade nicht da. Hinterlassen Sie eine Nachricht, wir antworten Ihnen per E-Mail.");
    await settings({ locale: "en", appearance: { color: "#3b5bdb" } });
  });

  it("shows Appearance's greeting in the workspace's language and the Texts tab's in the others", async () => {
    await settings({ locale: "it", appearance: { greeting: "Benvenuto da Acme!", awayText: "Torniamo alle 9." }, texts: { fr: { greeting: "Bienvenue chez Acme !" } } });
    expect((await config("it")).appearance).toMatchObject({ greeting: "Benvenuto da Acme!", awayText: "Torniamo alle 9." });
    expect((await config("fr")).appearance).toMatchObject({
      greeting: "Bienvenue chez Acme !",
      awayText: "Nous sommes absents pour le moment. Laissez un message et nous vous répondrons par e-mail.",
    });
    expect((await config("en")).appearance.greeting).toBe("Hi! How can we help?");
    // An emptied text is the default again.
    await settings({ texts: { fr: { greeting: "" } } });
    expect((await config("fr")).appearance.greeting).toBe("Bonjour ! Comment pouvons-nous vous aider ?");
    await settings({ locale: "en", appearance: { greeting: "", awayText: "" } });
  });

  it("says whether an agent is online", async () => {
    const andy = await agent("Andy Online");
    const live = await Live.open("/api/live", { Cookie: andy.cookie! });
    await vi.waitFor(async () => expect((await config()).online).toBe(true), { timeout: 10_000, interval: 50 });
    live.close();
    await vi.waitFor(async () => expect((await config()).online).toBe(false), { timeout: 10_000, interval: 50 });
  });

  it("lists each language's default texts for the Texts tab", async () => {
    const { json } = await call("GET", "/api/settings/texts", { as: owner });
    expect(json.keys).toContain("transcriptHeader");
    expect(Object.keys(json.defaults).sort()).toEqual(["de", "en", "es", "fr", "it", "pt", "ru"]);
    for (const texts of Object.values(json.defaults) as Record<string, string>[]) {
      expect(Object.keys(texts).sort()).toEqual([...json.keys].sort());
      expect(texts.transcriptHeader).toContain("{team}");
    }
  });
});

describe("what Parley says to a person in their language", () => {
  it("a template workflow greets and asks an Italian visitor in Italian, re-asks in Italian, and takes 'salta'", async () => {
    const { json } = await call("GET", "/api/workflows", { as: owner });
    for (const w of json.items) await call("PATCH", `/api/workflows/${w.id}`, { as: owner, body: { enabled: false } });
    const made = await call("POST", "/api/workflows", { as: owner, body: { template: "welcome-ask-phone" } });
    expect(made.json.steps[0]).toMatchObject({ text: "welcome", body: "Hi! Thanks for getting in touch. Someone from the team will be with you shortly." });

    const italian = await chatIn("it", "lucia@example.com");
    await vi.waitFor(async () => expect(await botSaid(italian.conversationId)).toHaveLength(2), { timeout: 10_000, interval: 50 });
    expect(await botSaid(italian.conversationId)).toEqual([
      "Ciao! Grazie per averci contattato. Qualcuno del team ti risponderà a breve.",
      "Così possiamo ricontattarti se la conversazione si interrompe: qual è il tuo numero di telefono, con il prefisso internazionale? (Scrivi salta per continuare senza.)",
    ]);
    await widget(italian.token, "POST", "/messages", { clientId: clientId(), body: "non lo so" });
    await vi.waitFor(async () => expect(await botSaid(italian.conversationId)).toHaveLength(3), { timeout: 10_000, interval: 50 });
    expect((await botSaid(italian.conversationId))[2]).toMatch(/^Non sembra un numero di telefono/);
    await widget(italian.token, "POST", "/messages", { clientId: clientId(), body: "Salta" });
    await vi.waitFor(
      async () => expect((await call("GET", `/api/conversations/${italian.conversationId}/automation`, { as: owner })).json.run.log.map((e: any) => e.text)).toContain("Skipped by the person."),
      { timeout: 10_000, interval: 50 },
    );

    // A visitor whose widget said nothing of its language hears the workspace's.
    const unsaid = await chatIn(undefined, "una@example.com", "Hello");
    await vi.waitFor(async () => expect(await botSaid(unsaid.conversationId)).toHaveLength(2), { timeout: 10_000, interval: 50 });
    expect((await botSaid(unsaid.conversationId))[0]).toBe("Hi! Thanks for getting in touch. Someone from the team will be with you shortly.");

    // The admin's own Italian greeting replaces the default for Italian visitors only.
    await settings({ texts: { it: { welcome: "Benvenuta da Acme!" } } });
    const another = await chatIn("it", "marta@example.com");
    await vi.waitFor(async () => expect(await botSaid(another.conversationId)).toContain("Benvenuta da Acme!"), { timeout: 10_000, interval: 50 });
    await settings({ texts: { it: { welcome: "" } } });
    await call("PATCH", `/api/workflows/${made.json.id}`, { as: owner, body: { enabled: false } });
  });

  it("a template's workflow is named and worded in the workspace's language", async () => {
    await settings({ locale: "it" });
    const made = await call("POST", "/api/workflows", { as: owner, body: { template: "welcome-ask-email", enabled: false } });
    expect(made.json.name).toBe("Messaggio di benvenuto e richiesta dell'email");
    expect(made.json.steps[0].body).toBe("Ciao! Grazie per averci contattato. Qualcuno del team ti risponderà a breve.");
    await settings({ locale: "en" });
  });

  it("a step whose words an admin typed sends exactly those, whatever the language", async () => {
    const made = await call("POST", "/api/workflows", {
      as: owner,
      body: { name: "Own words", trigger: { type: "conversation.opened", channels: ["chat"] }, steps: [{ type: "message", body: "Welcome to Acme." }] },
    });
    expect(made.status).toBe(201);
    const { conversationId } = await chatIn("ru", "oleg@example.com");
    await vi.waitFor(async () => expect(await botSaid(conversationId)).toEqual(["Welcome to Acme."]), { timeout: 10_000, interval: 50 });
    await call("PATCH", `/api/workflows/${made.json.id}`, { as: owner, body: { enabled: false } });
  });

  it("the transcript email is framed in the visitor's language", async () => {
    const { conversationId } = await chatIn("de", "jonas@example.com", "Hallo, wann liefern Sie?");
    const andy = await agent("Andy Transcript");
    const outbox = watchOutbox();
    try {
      const sent = await call("POST", `/api/conversations/${conversationId}/transcript`, { as: andy });
      expect(sent.status, JSON.stringify(sent.json)).toBe(201);
      const { subject, text } = outbox.sent[0]!.builder;
      expect(subject).toBe("Verlauf Ihres Chats mit Acme Support");
      expect(text).toContain("Hier ist der Verlauf Ihres Chats mit Acme Support.");
      expect(text).toContain("Hallo, wann liefern Sie?");
    } finally {
      outbox.restore();
    }
  });

  it("the widget's locale must be one Parley speaks", async () => {
    const token = await newVisitor();
    const res = await widget(token, "POST", "/messages", { clientId: clientId(), body: "Hi", locale: "xx" });
    expect(res.status).toBe(400);
  });
});

describe("an agent's own UI language", () => {
  it("is theirs to choose, null follows the browser, and only a language Parley speaks", async () => {
    const andy = await agent("Andy Italiano");
    expect((await call("GET", "/api/me", { as: andy })).json.locale).toBeNull();
    const chosen = await call("PATCH", "/api/me", { as: andy, body: { locale: "it" } });
    expect(chosen.status).toBe(200);
    expect(chosen.json.locale).toBe("it");
    expect((await call("GET", "/api/me", { as: andy })).json.locale).toBe("it");
    expect((await call("PATCH", "/api/me", { as: andy, body: { locale: "xx" } })).status).toBe(400);
    // The profile is one's own: a role cannot be given to oneself through it.
    expect((await call("PATCH", "/api/me", { as: andy, body: { role: "admin" } })).status).toBe(400);
    expect((await call("PATCH", "/api/me", { as: andy, body: { locale: null } })).json.locale).toBeNull();
  });
});
