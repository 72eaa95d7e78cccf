import { emailTranscript } from "../domain/transcripts";
import { ApiRouter } from "../http/router";
import { MessageSchema } from "../wire";

export const transcriptRoutes = new ApiRouter("/api");

transcriptRoutes.post(
  "/conversations/:id/transcript",
  {
    summary: "Email the chat thread to the contact; 409 when the contact has no email address (no_email_address), email is not set up (email_not_configured) or there is no chat (no_chat_messages)",
    access: "agent",
    response: MessageSchema,
    status: 201,
  },
  async (c, { params }) => {
    const message = await emailTranscript(c.env, params.id!, c.var.user);
    return c.json(message, 201);
  },
);
