import { z } from "zod";
import { database } from "../db/client";
import { conversationWithContact } from "../domain/conversations";
import { createSavedResponse, deleteSavedResponse, getSavedResponse, KNOWN_TAGS, listSavedResponses, renderTemplate, unknownTags, updateSavedResponse } from "../domain/savedResponses";
import { ApiRouter } from "../http/router";
import { Ok } from "./schemas";

export const savedResponseRoutes = new ApiRouter("/api");

const Body = z
  .string()
  .trim()
  .min(1, "Write the response.")
  .max(10_000)
  .superRefine((body, ctx) => {
    const unknown = unknownTags(body);
    if (unknown.length) ctx.addIssue({ code: "custom", message: `Unknown tag ${unknown.map((t) => `{{${t}}}`).join(", ")}; use one of ${KNOWN_TAGS.join(", ")}.` });
  });
const Fields = z.object({ category: z.string().trim().min(1).max(100), name: z.string().trim().min(1).max(200), body: Body });
const SavedResponse = Fields.extend({ id: z.string(), createdAt: z.number(), updatedAt: z.number() });

savedResponseRoutes.get(
  "/saved-responses",
  {
    summary: "Saved responses, by category then name",
    access: "agent",
    query: z.object({ category: z.string().max(100).optional() }),
    response: z.object({ items: z.array(SavedResponse) }),
  },
  async (c, { query }) => c.json({ items: await listSavedResponses(database(c.env.DB), query.category) }),
);

savedResponseRoutes.post(
  "/saved-responses",
  {
    summary: "Save a response. Tags: {{contact.first_name}}, {{contact.name}}, {{agent.name}}, with a fallback: {{contact.first_name | there}}",
    access: "agent",
    body: Fields,
    response: SavedResponse,
    status: 201,
  },
  async (c, { body }) => c.json(await createSavedResponse(database(c.env.DB), body), 201),
);

savedResponseRoutes.patch(
  "/saved-responses/:id",
  {
    summary: "Change a saved response",
    access: "agent",
    body: Fields.partial().strict(),
    response: SavedResponse,
  },
  async (c, { body, params }) => c.json(await updateSavedResponse(database(c.env.DB), params.id!, body)),
);

savedResponseRoutes.delete("/saved-responses/:id", { summary: "Delete a saved response", access: "agent", response: Ok }, async (c, { params }) => {
  await deleteSavedResponse(database(c.env.DB), params.id!);
  return c.json({ ok: true });
});

savedResponseRoutes.post(
  "/saved-responses/:id/render",
  {
    summary: "The response with its tags filled in for a conversation's contact and the calling agent",
    access: "agent",
    body: z.object({ conversationId: z.string().min(1).max(64) }),
    response: z.object({ body: z.string() }),
  },
  async (c, { body, params }) => {
    const db = database(c.env.DB);
    const saved = await getSavedResponse(db, params.id!);
    const { contact } = await conversationWithContact(db, body.conversationId, c.var.user);
    return c.json({ body: renderTemplate(saved.body, contact, c.var.user) });
  },
);
