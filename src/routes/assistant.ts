// The assistant: draft replies and summaries for agents, and the pages that ground the drafts.
import { z } from "zod";
import { database } from "../db/client";
import { requireConversation } from "../domain/conversations";
import { addSummary, draftFor } from "../domain/drafts";
import { pageStatuses, refreshPages } from "../domain/pages";
import { loadSettings } from "../domain/settings";
import { ApiRouter } from "../http/router";
import { MessageSchema } from "../wire";

export const assistantRoutes = new ApiRouter("/api");

const Source = z.union([z.object({ type: z.literal("faq"), question: z.string() }), z.object({ type: z.literal("page"), url: z.string(), title: z.string().nullable() })]);
const Backend = {
  provider: z.enum(["builtin", "workers-ai", "openai"]),
  fallback: z.string().nullable().meta({ description: "Why the built-in assistant answered instead of the model chosen (it failed or was too slow)" }),
};

assistantRoutes.post(
  "/conversations/:id/draft",
  {
    summary:
      "A draft reply to what the person last wrote, with the FAQ answers and page passages it is grounded on; nothing is sent. From the model chosen in Settings, or the built-in assistant when none is, or when the model fails or is slow (`fallback` says why). `grounded: false` when nothing matched (the draft then says the team is looking into it). 409 ai_disabled when drafts are off",
    access: "agent",
    response: z.object({ body: z.string(), sources: z.array(Source), grounded: z.boolean(), ...Backend }),
  },
  async (c, { params }) => c.json(await draftFor(c.env, params.id!, c.var.user)),
);

assistantRoutes.post(
  "/conversations/:id/summary",
  {
    summary: "Summarise the thread now: a note by the assistant (who asked what, what was promised, what is open), told live to agents and sent nowhere",
    access: "agent",
    response: MessageSchema,
    status: 201,
  },
  async (c, { params }) => {
    await requireConversation(database(c.env.DB), params.id!, c.var.user);
    return c.json(await addSummary(c.env, params.id!), 201);
  },
);

const PageStatus = z.object({
  url: z.string(),
  title: z.string().nullable(),
  passages: z.number(),
  fetchedAt: z.number().nullable().meta({ description: "When the page was last read; null if it never could be" }),
  triedAt: z.number(),
  error: z.string().nullable().meta({ description: "Why the last fetch failed; the passages from before stay in use" }),
});

assistantRoutes.get(
  "/ai/pages",
  { summary: "The pages in settings.ai.urls as the assistant last read them: passages, when, and the last fetch error", access: "admin", response: z.object({ items: z.array(PageStatus) }) },
  async (c) => c.json({ items: await pageStatuses(database(c.env.DB)) }),
);

assistantRoutes.post(
  "/ai/pages/refresh",
  { summary: "Fetch the pages in settings.ai.urls again now (they are also refreshed daily and when the list changes)", access: "admin", response: z.object({ items: z.array(PageStatus) }) },
  async (c) => {
    const db = database(c.env.DB);
    return c.json({ items: await refreshPages(db, (await loadSettings(db)).ai.urls) });
  },
);
