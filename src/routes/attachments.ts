import { database } from "../db/client";
import { openAttachment } from "../domain/attachments";
import { ApiRouter } from "../http/router";

export const attachmentRoutes = new ApiRouter("/api");

attachmentRoutes.get(
  "/attachments/:id",
  {
    summary: "A file that came with a message, as a download (signed-in agents only)",
    access: "agent",
  },
  async (c, { params }) => {
    const { row, body } = await openAttachment(database(c.env.DB), c.env, params.id!);
    return new Response(body, {
      headers: {
        "content-type": row.contentType,
        "content-length": String(row.size),
        "content-disposition": contentDisposition(row.filename),
        // Whatever the file claims to be, the browser neither sniffs nor runs it.
        "x-content-type-options": "nosniff",
        "content-security-policy": "sandbox; default-src 'none'",
        "cache-control": "private, no-store",
      },
    });
  },
);

/** RFC 6266: an ASCII fallback name plus the exact name in RFC 5987 encoding. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
