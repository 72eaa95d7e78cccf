// The ways we know a person, normalised so the same person always gives the same identity.
import { IDENTITY_KINDS, type IdentityKind } from "../db/schema";

export type Identity = { kind: IdentityKind; value: string };

/** Kinds that name a person, so they create a contact; the others (a browser, a Messenger id) only point at one. */
const PERSON_KINDS: ReadonlySet<IdentityKind> = new Set(["email", "phone", "external"]);

export function namesAPerson(identity: Identity): boolean {
  return PERSON_KINDS.has(identity.kind);
}

// RFC 5321 §4.5.3.1: a path is at most 256 octets with its angle brackets, so an address is at
// most 254 characters; its local part (before the @) at most 64.
export const MAX_EMAIL_CHARS = 254;
export const MAX_LOCAL_PART_CHARS = 64;

export const emailIdentity = (email: string): Identity => ({ kind: "email", value: email.trim().toLowerCase() });
/** `e164` must already be normalised (see phones.ts). */
export const phoneIdentity = (e164: string): Identity => ({ kind: "phone", value: e164 });
export const externalIdentity = (id: string): Identity => ({ kind: "external", value: id });
export const visitorIdentity = (visitorId: string): Identity => ({ kind: "visitor", value: visitorId });
export const messengerIdentity = (psid: string): Identity => ({ kind: "messenger", value: psid });

/** The `party` of a conversation held with an identity that names no person yet. */
export const partyOf = (identity: Identity) => `${identity.kind}:${identity.value}`;

/** The identity a conversation's `party` names; null when the text is not one `partyOf` wrote. */
export function identityFromParty(party: string): Identity | null {
  const colon = party.indexOf(":");
  const kind = party.slice(0, colon) as IdentityKind;
  const value = party.slice(colon + 1);
  return colon > 0 && value && IDENTITY_KINDS.includes(kind) ? { kind, value } : null;
}
