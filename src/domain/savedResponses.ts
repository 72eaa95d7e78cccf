// Saved responses, grouped by category, with personalization tags filled in when inserted:
// {{contact.first_name}}, {{contact.name}}, {{agent.name}}, and a fallback: {{contact.first_name | there}}.
import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { savedResponses, type Contact, type SavedResponse, type User } from "../db/schema";
import { notFound } from "../errors";
import { newId } from "./ids";

// Anything in double braces is a tag, so a misspelt one is refused when saved instead of sent as typed.
const TAG = /\{\{\s*([^|}]*?)\s*(?:\|\s*([^}]*?)\s*)?\}\}/g;

type Values = Record<string, string | null | undefined>;

function tagValues(contact: Contact | null, agent: User): Values {
  const agentFirst = agent.name.split(/\s+/)[0];
  return {
    "contact.first_name": contact?.firstName,
    "contact.last_name": contact?.lastName,
    "contact.name": [contact?.firstName, contact?.lastName].filter(Boolean).join(" "),
    "contact.email": contact?.email,
    "contact.phone": contact?.phone,
    "contact.account": contact?.account,
    "agent.name": agent.name,
    "agent.first_name": agentFirst,
    "agent.email": agent.email,
  };
}

export const KNOWN_TAGS = Object.keys(tagValues(null, { name: "", email: "" } as User));

/** The tags in `body` that Parley does not know, so a typo is caught when the response is saved. */
export function unknownTags(body: string): string[] {
  return [...body.matchAll(TAG)].map((m) => m[1]!).filter((tag) => !KNOWN_TAGS.includes(tag));
}

/** Fills every tag; an empty value takes the tag's fallback, or nothing. */
export function renderTemplate(body: string, contact: Contact | null, agent: User): string {
  const values = tagValues(contact, agent);
  return body.replace(TAG, (_match, tag: string, fallback?: string) => values[tag] || fallback || "");
}

export type SavedResponseInput = { category: string; name: string; body: string };

export async function listSavedResponses(db: Db, category?: string) {
  return db
    .select()
    .from(savedResponses)
    .where(category ? eq(savedResponses.category, category) : undefined)
    .orderBy(asc(savedResponses.category), asc(savedResponses.name));
}

export async function createSavedResponse(db: Db, input: SavedResponseInput): Promise<SavedResponse> {
  const now = Date.now();
  const row = { id: newId(now), ...input, createdAt: now, updatedAt: now };
  await db.insert(savedResponses).values(row);
  return row;
}

export async function updateSavedResponse(db: Db, id: string, changes: Partial<SavedResponseInput>): Promise<SavedResponse> {
  const [row] = await db
    .update(savedResponses)
    .set({ ...changes, updatedAt: Date.now() })
    .where(eq(savedResponses.id, id))
    .returning();
  if (!row) throw notFound("Saved response");
  return row;
}

export async function deleteSavedResponse(db: Db, id: string): Promise<void> {
  const rows = await db.delete(savedResponses).where(eq(savedResponses.id, id)).returning({ id: savedResponses.id });
  if (rows.length === 0) throw notFound("Saved response");
}

export async function getSavedResponse(db: Db, id: string): Promise<SavedResponse> {
  const row = await db.query.savedResponses.findFirst({ where: eq(savedResponses.id, id) });
  if (!row) throw notFound("Saved response");
  return row;
}
