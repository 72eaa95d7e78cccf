// Messages arriving the way every channel delivers them: through the one inbound pipeline.
import { env } from "cloudflare:test";
import type { Channel } from "../src/db/schema";
import { emailIdentity, messengerIdentity, phoneIdentity, visitorIdentity, type Identity } from "../src/domain/identities";
import { ingest, type InboundMessage } from "../src/domain/pipeline";

export const from = {
  email: emailIdentity,
  phone: phoneIdentity,
  visitor: visitorIdentity,
  messenger: messengerIdentity,
};

/** A message from `sender` on `channel`; by default it joins the sender's latest thread on that channel. */
export function receive(channel: Channel, sender: Identity[], extra: Partial<InboundMessage> = {}) {
  return ingest(env, { channel, sender, thread: "latest", body: "Hello, is anyone there?", ...extra });
}
