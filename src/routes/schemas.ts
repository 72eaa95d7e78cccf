// zod shapes shared by several routes.
import { z } from "zod";
import { MAX_EMAIL_CHARS, MAX_LOCAL_PART_CHARS } from "../domain/identities";
import { LANGUAGES } from "../domain/languages";

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(MAX_EMAIL_CHARS, `An email address has at most ${MAX_EMAIL_CHARS} characters.`)
  .pipe(z.email({ message: "Enter a valid email address." }).refine((email) => email.lastIndexOf("@") <= MAX_LOCAL_PART_CHARS, `The part before the @ has at most ${MAX_LOCAL_PART_CHARS} characters.`))
  .meta({ format: "email", example: "ana@example.com" });
export const Password = z.string().min(8, "Use at least 8 characters.").max(200);
export const Name = z.string().trim().min(1, "Enter a name.").max(200);
export const Id = z.string().min(1).max(64);
export const Role = z.enum(["admin", "agent"]);

export const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  disabled: z.boolean(),
  /** The UI's language as the user chose it; null follows their browser. */
  locale: z.enum(LANGUAGES).nullable(),
  createdAt: z.number(),
});

export const Ok = z.object({ ok: z.literal(true) });

/** An opaque page cursor: the position of the last item seen. */
export const Cursor = z
  .string()
  .max(200)
  .transform((raw, ctx) => {
    try {
      const [at, id] = JSON.parse(atob(raw.replace(/-/g, "+").replace(/_/g, "/"))) as [unknown, unknown];
      if (typeof at === "number" && typeof id === "string") return { at, id };
    } catch {
      // reported below
    }
    ctx.addIssue({ code: "custom", message: "This cursor is not one Parley gave out." });
    return z.NEVER;
  });

export function encodeCursor(position: { at: number; id: string } | null): string | null {
  if (!position) return null;
  return btoa(JSON.stringify([position.at, position.id]))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export const Limit = z.coerce.number().int().min(1).max(100).default(25);

/** "true"/"false" in a query string. */
export const QueryBool = z.enum(["true", "false"]).transform((v) => v === "true");
