// Live sockets outlive the request that opened them, so ending access (signing out, disabling a
// user, revoking an API token, changing a password) must close them too. Every agent socket is
// tagged with its user and the credential it was opened with; the inbox remembers which rooms
// those have joined, so one call reaches every socket wherever it is held.
import { credentialKey, type Credential } from "../domain/sessions";
import type { Env } from "../env";
import { guestHolder, inboxFeed, type Guest } from "./notify";
import { closeQuietly } from "./sockets";

/** Who an agent's socket depends on: its user, and the key of the session or token that opened it. */
export type Holder = { userId: string; credential: string };

/** What ended: every credential of a user (disabled), or some credentials (signed out, revoked). */
export type Ended = { userId: string } | { credentials: Credential[] };

/** Tells the client to sign in again rather than reconnect. */
const ACCESS_ENDED = 4401;

const USER_TAG = "user:";
const userTag = (userId: string) => `${USER_TAG}${userId}`;

/** The user a socket's tag names, if it is a user tag. */
export const userOfTag = (tag: string): string | null => (tag.startsWith(USER_TAG) ? tag.slice(USER_TAG.length) : null);

export const holderTags = (holder: Holder) => [userTag(holder.userId), holder.credential];

/** A room socket's tags: its role, and for an agent whom it depends on. */
export function guestTags(guest: Guest): string[] {
  const holder = guestHolder(guest);
  return holder ? [guest.role, ...holderTags(holder)] : [guest.role];
}

const endedTags = (ended: Ended) => ("userId" in ended ? [userTag(ended.userId)] : ended.credentials.map(credentialKey));

/** Closes every live socket, in the inbox and in conversation rooms, that depended on what ended. */
export async function endLiveAccess(env: Env, ended: Ended): Promise<void> {
  const tags = endedTags(ended);
  if (tags.length > 0) await inboxFeed(env).endAccess(tags);
}

/** Closes a Durable Object's sockets that carry any of the tags. */
export function closeTagged(ctx: DurableObjectState, tags: string[]) {
  for (const tag of tags) for (const ws of ctx.getWebSockets(tag)) closeQuietly(ws, ACCESS_ENDED, "Signed out: sign in again.");
}
