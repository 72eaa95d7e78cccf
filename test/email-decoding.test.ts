// What the agent reads of specific real mail: legacy charsets decoded to proper Unicode, broken
// mail kept with a note of what could not be read, bounces marked.
import { beforeAll, describe, expect, it } from "vitest";
import { admin, type Session } from "./helpers";
import { deliverFixture, fixture } from "./mail";

let owner: Session;
beforeAll(async () => {
  owner = await admin();
});

describe("what specific fixtures hold", () => {
  it("iso-8859-1 in raw 8-bit, even in the Subject header, reads as proper Unicode", async () => {
    const { message, conversation } = await deliverFixture(owner, fixture("stalwart-legacy/010.eml"));
    expect(message.body.startsWith("Die Hasen und die Frösche\n\nDie Hasen klagten einst über ihre mißliche Lage;")).toBe(true);
    expect(message.body).toContain("Unsere stete Angst ist ärger als der Tod selbst.");
    expect(conversation.subject).toBe("Die Hasen und die Frösche");
    expect(message.meta.problems).toEqual([expect.stringContaining("iso-8859-1")]);
    expect(conversation.contact).toMatchObject({ firstName: "Doug", lastName: "Sauder", email: "dwsauder@example.com" });
  });

  it("windows-1252 quoted-printable with encoded words in the headers", async () => {
    const { message, conversation } = await deliverFixture(owner, fixture("stalwart-legacy/012.eml"));
    expect(conversation.subject).toBe("Die Hasen und die Frösche (Microsoft Outlook 00)");
    expect(message.body).toContain("Die Hasen klagten einst über ihre mißliche Lage;");
    expect(message.body).toContain("einige Tiere, welche also wohl noch unglücklicher sein müssen als wir.");
    expect(message.meta.problems).toBeUndefined();
  });

  it("UTF-8 in binary, 8bit, quoted-printable and base64 parts, and a Japanese subject in an encoded word", async () => {
    const japanese = await deliverFixture(owner, fixture("stalwart-thirdparty/010.eml"));
    expect(japanese.conversation.subject).toBe("こんにちは");
    expect(japanese.message.body).toBe("人権の無視及");
  });

  it("a mail without From is filed under the envelope sender, and says so", async () => {
    const { message, conversation } = await deliverFixture(owner, fixture("stalwart-thirdparty/003.eml"));
    expect(message.body.split("\n").filter((l) => l.startsWith("Move ♚ to ♛'s ♝"))).toHaveLength(4);
    expect(conversation.contact.email).toBe("relay@fixtures.example");
    expect(message.meta.email.fromSource).toBe("envelope");
    expect(message.meta.problems).toEqual([expect.stringContaining("envelope sender")]);
  });

  it("a multipart whose boundary never appears keeps its raw body as text and the original as a file", async () => {
    const { message } = await deliverFixture(owner, fixture("stalwart-malformed/002.eml"));
    expect(message.body).toBe("body");
    expect(message.meta.problems).toEqual(expect.arrayContaining([expect.stringContaining("MIME structure of the message is broken")]));
    expect(message.meta.attachments).toEqual([expect.objectContaining({ filename: "original.eml", contentType: "message/rfc822" })]);
  });

  it("a delivery report is stored and marked as a bounce", async () => {
    const { message } = await deliverFixture(owner, fixture("postal-mime/bounce.eml"));
    expect(message.meta.automated).toEqual({ kind: "bounce", reason: expect.stringContaining("multipart/report") });
    expect(message.body).toContain("This is an automated message from the mail system");
  });

  it("UTF-7, which no TextDecoder knows, is decoded too", async () => {
    const { message, conversation } = await deliverFixture(owner, fixture("stalwart-legacy/001.eml"));
    expect(message.body.startsWith("Die Hasen und die Frösche\n\nDie Hasen klagten einst über ihre mißliche Lage;")).toBe(true);
    expect(conversation.subject).toBe("Die Hasen und die Frösche (Microsoft Outlook 00)");
  });

  it("an HTML-only mail is shown as readable text", async () => {
    const { message } = await deliverFixture(owner, fixture("stalwart-legacy/002.eml"));
    expect(message.body).toContain("Die Hasen und die Frösche");
    expect(message.body).not.toMatch(/<\/?[a-z]+[^>]*>/i);
  });
});
