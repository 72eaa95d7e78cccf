// Every real mail in test/fixtures/email/ (RFC examples, other parsers' suites, old-style mail in
// legacy charsets, broken MIME) delivered to the Worker's email() handler: none is refused or
// throws, each lands in a conversation, and the text the agent reads is what the mail holds.
import { env } from "cloudflare:test";
import PostalMime from "postal-mime";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, type Session } from "./helpers";
import { corpus, deliver, deliverFixture, type StoredMail } from "./mail";

let owner: Session;
beforeAll(async () => {
  owner = await admin();
});

/** Everything of the text the agent can see: the new text, and one click away the quote and signature. */
const visibleText = (m: StoredMail) => [m.body, m.meta.quoted, m.meta.signature].filter(Boolean).join("\n");

/** Words of the mail's content as postal-mime decodes it (text part, else HTML without its markup). */
async function wordsOf(bytes: Uint8Array): Promise<string[]> {
  const parsed = await PostalMime.parse(bytes);
  const text = parsed.text ?? (parsed.html ?? "").replace(/<(style|head|script)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>|&[#\w]+;/g, " ");
  return [...new Set(text.match(/[\p{L}\p{N}]{4,}/gu) ?? [])].slice(0, 40);
}

describe("the fixture corpus", () => {
  it("holds the whole corpus", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
  });

  const firstWithBytes = new Map<string, string>();
  for (const { name, bytes } of corpus) {
    const same = firstWithBytes.get(bytes.join());
    if (same) {
      it(`${name}: byte for byte ${same}, so the same mail, stored once`, async () => {
        const count = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM messages").first<{ n: number }>())!.n;
        const before = await count();
        expect((await deliver(bytes, { from: "relay@fixtures.example" })).rejected).toBeNull();
        expect(await count()).toBe(before);
      });
      continue;
    }
    firstWithBytes.set(bytes.join(), name);
    it(`${name}: accepted, in a conversation, its text intact`, async () => {
      const { delivery, message, conversation } = await deliverFixture(owner, bytes);
      expect(delivery.rejected).toBeNull();
      expect(conversation.id).toBe(message.conversationId);
      expect(conversation.channels).toContain("email");
      const shown = visibleText(message);
      for (const word of await wordsOf(bytes)) expect(shown, `"${word}" is in what the agent sees`).toContain(word);
      if (message.meta.problems) expect(message.meta.problems.every((p: string) => p.length > 20)).toBe(true);
    });
  }

  it("delivered a second time, no mail is stored again", async () => {
    const count = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM messages").first<{ n: number }>())!.n;
    const before = await count();
    for (const { bytes } of corpus) expect((await deliver(bytes, { from: "relay@fixtures.example" })).rejected).toBeNull();
    expect(await count()).toBe(before);
  });
});
