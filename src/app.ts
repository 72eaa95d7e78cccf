// The Hono app: middleware, error shape and route mounting; nothing else.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env";
import { ApiError, errorBody, tooLarge } from "./errors";
import { sameOriginBrowsers } from "./http/auth";
import { attachmentRoutes } from "./routes/attachments";
import { authRoutes } from "./routes/auth";
import { contactRoutes } from "./routes/contacts";
import { conversationRoutes } from "./routes/conversations";
import { liveRoutes } from "./routes/live";
import { openApiRoutes } from "./routes/openapi";
import { savedResponseRoutes } from "./routes/savedResponses";
import { settingsRoutes } from "./routes/settings";
import { smsRoutes } from "./routes/sms";
import { subscriptionRoutes } from "./routes/subscriptions";
import { workflowRoutes } from "./routes/workflows";
import { assistantRoutes } from "./routes/assistant";
import { privacyRoutes } from "./routes/privacy";
import { transcriptRoutes } from "./routes/transcripts";
import { userRoutes } from "./routes/users";
import { webhookRoutes } from "./routes/webhooks";
import { widgetRoutes } from "./routes/widget";

export const MAX_BODY_BYTES = 1024 * 1024;

export const app = new Hono<AppEnv>();

// No other page may frame Parley (clickjacking); the UI's pages get the same from public/_headers.
app.use("*", async (c, next) => {
  await next();
  if (c.res.status !== 101) refuseFraming(c.res.headers);
});

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

app.use("/api/*", sameOriginBrowsers);

for (const router of [
  authRoutes,
  userRoutes,
  contactRoutes,
  conversationRoutes,
  savedResponseRoutes,
  settingsRoutes,
  smsRoutes,
  subscriptionRoutes,
  transcriptRoutes,
  attachmentRoutes,
  workflowRoutes,
  assistantRoutes,
  privacyRoutes,
]) {
  app.route(router.base, router.hono);
}
app.route(widgetRoutes.base, widgetRoutes.hono);
app.route("/", webhookRoutes);
app.route("/", liveRoutes);
app.route("/", openApiRoutes);

app.notFound((c) => c.json(errorBody("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`), 404));

app.onError((error, c) => {
  if (error instanceof ApiError) return c.json(errorBody(error.code, error.message, error.details), error.status);
  if (error instanceof HTTPException) return c.json(errorBody("http_error", error.message || "Request refused."), error.status);
  if (isStorageOutage(error)) {
    // D1 refused for a moment: the caller (a provider's webhook, a browser) tries again and loses nothing.
    console.error("storage unavailable", error);
    c.header("retry-after", "5");
    return c.json(errorBody("storage_unavailable", "Storage is unavailable for a moment; nothing was stored. Try again in a few seconds."), 503);
  }
  console.error("unexpected error", error);
  return c.json(errorBody("internal", "Something went wrong on our side; nothing was changed."), 500);
});

/** D1 failing (overloaded, unreachable), however deep the driver wrapped it. */
function isStorageOutage(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (/\bD1_(ERROR|EXEC_ERROR|TYPE_ERROR)\b|D1 DB is overloaded|Network connection lost/.test(e.message)) return true;
  }
  return false;
}

function refuseFraming(headers: Headers) {
  const policy = headers.get("content-security-policy");
  headers.set("content-security-policy", policy ? `${policy}; frame-ancestors 'none'` : "frame-ancestors 'none'");
  headers.set("x-frame-options", "DENY");
}
