// WebSocket upgrades (not JSON, so plain Hono routes): the caller is checked here, then the
// upgrade is forwarded as is to the Durable Object that will hold the socket.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { database } from "../db/client";
import { requireConversation } from "../domain/conversations";
import { credentialKey, type SignedIn } from "../domain/sessions";
import { requireOwnConversation, visitorForToken } from "../domain/visitors";
import type { AppEnv } from "../env";
import { ApiError, unauthorized } from "../errors";
import { authenticate } from "../http/auth";
import { parseInput } from "../http/validation";
import type { Holder } from "../realtime/access";
import { joinInbox, joinRoom } from "../realtime/notify";
import { Id } from "./schemas";

export const liveRoutes = new Hono<AppEnv>();

/** The agent's live inbox: every conversation and message change, and visitor presence. */
liveRoutes.get("/api/live", async (c) => {
  const agent = await signedIn(c);
  requireUpgrade(c);
  return joinInbox(c.env, c.req.raw, holderFor(agent), agent.user.role);
});

const After = z.object({ after: Id.optional() });

/** An agent watching one conversation: its messages live, the visitor typing and coming and going. */
liveRoutes.get("/api/conversations/:id/live", async (c) => {
  const agent = await signedIn(c);
  requireUpgrade(c);
  const { after } = parseInput(After, c.req.query(), "query");
  const conversation = await requireConversation(database(c.env.DB), c.req.param("id"), agent.user);
  const { userId, credential } = holderFor(agent);
  return joinRoom(c.env, c.req.raw, { role: "agent", id: userId, name: agent.user.name, conversationId: conversation.id, after: after ?? null, credential });
});

/** The widget's socket (browsers cannot set headers on a WebSocket, so the token is in the query). */
liveRoutes.get("/api/widget/live", async (c) => {
  const query = parseInput(After.extend({ token: z.string().max(200).optional(), conversation: Id }), c.req.query(), "query");
  const db = database(c.env.DB);
  const visitor = await visitorForToken(db, query.token);
  const conversation = await requireOwnConversation(db, visitor.id, query.conversation);
  requireUpgrade(c);
  return joinRoom(c.env, c.req.raw, { role: "visitor", id: visitor.id, name: null, conversationId: conversation.id, after: query.after ?? null, credential: null });
});

async function signedIn(c: Context<AppEnv>) {
  const signed = await authenticate(c);
  if (!signed) throw unauthorized();
  return signed;
}

/** Whom an agent's socket depends on: it is closed when their access ends (realtime/access.ts). */
const holderFor = (agent: SignedIn): Holder => ({ userId: agent.user.id, credential: credentialKey(agent.credential) });

function requireUpgrade(c: Context) {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "This is a WebSocket endpoint; connect with a WebSocket client.");
  }
}
