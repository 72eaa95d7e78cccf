// The Hono app: middleware, error shape and route mounting; nothing else.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env";
import { ApiError, errorBody, tooLarge } from "./errors";
import { attachmentRoutes } from "./routes/attachments";
import { authRoutes } from "./routes/auth";
import { contactRoutes } from "./routes/contacts";
import { conversationRoutes } from "./routes/conversations";
import { liveRoutes } from "./routes/live";
import { openApiRoutes } from "./routes/openapi";
import { savedResponseRoutes } from "./routes/savedResponses";
import { settingsRoutes } from "./routes/settings";
import { transcriptRoutes } from "./routes/transcripts";
import { userRoutes } from "./routes/users";
import { widgetRoutes } from "./routes/widget";

export const MAX_BODY_BYTES = 1024 * 1024;

export const app = new Hono<AppEnv>();

// The widget runs on customers' websites: its API answers every origin (no cookies; a token header).
app.use("/api/widget/*", cors({ origin: "*", allowHeaders: ["Content-Type", "X-Visitor-Token"], allowMethods: ["GET", "POST"], maxAge: 86_400 }));

app.use(
  "/api/*",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw tooLarge(`Request bodies are limited to ${MAX_BODY_BYTES / 1024} KB.`);
    },
  }),
);

for (const router of [authRoutes, userRoutes, contactRoutes, conversationRoutes, savedResponseRoutes, settingsRoutes, transcriptRoutes, attachmentRoutes]) {
  app.route(router.base, router.hono);
}
app.route(widgetRoutes.base, widgetRoutes.hono);
app.route("/", liveRoutes);
app.route("/", openApiRoutes);

app.notFound((c) => c.json(errorBody("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`), 404));

app.onError((error, c) => {
  if (error instanceof ApiError) return c.json(errorBody(error.code, error.message, error.details), error.status);
  if (error instanceof HTTPException) return c.json(errorBody("http_error", error.message || "Request refused."), error.status);
  console.error("unexpected error", error);
  return c.json(errorBody("internal", "Something went wrong on our side; nothing was changed."), 500);
});
