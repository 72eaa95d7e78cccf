// The business's pages that ground the assistant (settings.ai.urls, up to three): fetched by the
// Worker, their text taken out with HTMLRewriter and split into passages, stored in D1, refreshed
// daily by the cron trigger and whenever the list changes. A page that cannot be fetched keeps the
// passages it had, with the error shown in Settings.
import { notInArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { knowledgePages } from "../db/schema";
import type { Passage } from "./assistant";

/** A passage is about a paragraph: long enough to answer, short enough to rank well. */
const PASSAGE_CHARS = 700;
const MAX_PASSAGES = 200;
const FETCH_TIMEOUT_MS = 15_000;

/** Elements whose text is not the page's content. */
const SKIPPED = "script, style, noscript, template, svg, nav, footer, form, iframe, head";
/** Elements that end a block of text. */
const BLOCKS = "p, h1, h2, h3, h4, h5, h6, li, dt, dd, blockquote, pre, td, th, br, div, section, article, tr";

/** Runs `then` at the element's end tag; one without an end tag (`<br>`, a self-closed `<svg/>`) ends where it starts. */
function atEnd(el: Element, then: () => void): void {
  try {
    el.onEndTag(then);
  } catch {
    then();
  }
}

export type PageStatus = { url: string; title: string | null; passages: number; fetchedAt: number | null; triedAt: number; error: string | null };

/** The text of an HTML page in blocks, with its title. */
export async function extractText(response: Response): Promise<{ title: string | null; blocks: string[] }> {
  const blocks: string[] = [];
  let current = "";
  let title = "";
  let inTitle = false;
  let skipped = 0;
  const endBlock = () => {
    const text = decodeEntities(current).replace(/\s+/g, " ").trim();
    if (text) blocks.push(text);
    current = "";
  };
  const rewriter = new HTMLRewriter()
    .on("title", {
      element(el) {
        inTitle = true;
        atEnd(el, () => void (inTitle = false));
      },
    })
    .on(SKIPPED, {
      element(el) {
        skipped++;
        atEnd(el, () => void skipped--);
      },
    })
    .on(BLOCKS, {
      element(el) {
        endBlock();
        atEnd(el, endBlock);
      },
    })
    .onDocument({
      text(chunk) {
        if (inTitle) title += chunk.text;
        else if (!skipped) current += chunk.text;
      },
    });
  await rewriter.transform(response).arrayBuffer();
  endBlock();
  return { title: decodeEntities(title).replace(/\s+/g, " ").trim() || null, blocks };
}

/** Blocks joined into passages of about PASSAGE_CHARS; a longer block is cut between sentences. */
export function toPassages(blocks: string[]): string[] {
  const passages: string[] = [];
  let current = "";
  for (const piece of blocks.flatMap(pieces)) {
    if (current && current.length + piece.length + 1 > PASSAGE_CHARS) {
      passages.push(current);
      current = "";
    }
    current = current ? `${current} ${piece}` : piece;
  }
  if (current) passages.push(current);
  return passages.slice(0, MAX_PASSAGES);
}

function pieces(block: string): string[] {
  if (block.length <= PASSAGE_CHARS) return [block];
  return block.split(/(?<=[.!?])\s+/).flatMap((sentence) => sentence.match(new RegExp(`.{1,${PASSAGE_CHARS}}(\\s|$)`, "g")) ?? [sentence]);
}

/** Fetches each listed page again and forgets pages no longer listed. */
export async function refreshPages(db: Db, urls: string[]): Promise<PageStatus[]> {
  if (urls.length) await db.delete(knowledgePages).where(notInArray(knowledgePages.url, urls));
  else await db.delete(knowledgePages);
  await Promise.all(urls.map((url) => refreshPage(db, url)));
  return pageStatuses(db);
}

async function refreshPage(db: Db, url: string): Promise<void> {
  const now = Date.now();
  try {
    const response = await fetch(url, {
      headers: { accept: "text/html,text/plain;q=0.9", "user-agent": "Parley assistant (reads this page to answer customers)" },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`The page answered ${response.status} ${response.statusText}`.trim());
    const type = response.headers.get("content-type") ?? "";
    const page = /text\/plain/.test(type) ? { title: null, blocks: (await response.text()).split(/\n\s*\n/) } : await extractText(response);
    const passages = toPassages(page.blocks);
    if (!passages.length) throw new Error("The page has no text to read.");
    const row = { url, title: page.title, passages, fetchedAt: now, triedAt: now, error: null };
    await db.insert(knowledgePages).values(row).onConflictDoUpdate({ target: knowledgePages.url, set: row });
  } catch (error) {
    const reason =
      error instanceof DOMException && error.name === "TimeoutError" ? `The page did not answer within ${FETCH_TIMEOUT_MS / 1000} s.` : error instanceof Error ? error.message : String(error);
    // What the page said last time still grounds drafts until it can be read again.
    await db
      .insert(knowledgePages)
      .values({ url, title: null, passages: [], fetchedAt: null, triedAt: now, error: reason.slice(0, 300) })
      .onConflictDoUpdate({ target: knowledgePages.url, set: { triedAt: now, error: reason.slice(0, 300) } });
  }
}

export async function pageStatuses(db: Db): Promise<PageStatus[]> {
  const rows = await db.select().from(knowledgePages).orderBy(knowledgePages.url);
  return rows.map((row) => ({ url: row.url, title: row.title, passages: row.passages.length, fetchedAt: row.fetchedAt, triedAt: row.triedAt, error: row.error }));
}

/** Every stored passage of the listed pages. */
export async function pagePassages(db: Db, urls: string[]): Promise<Passage[]> {
  if (!urls.length) return [];
  const rows = await db.select().from(knowledgePages);
  return rows.filter((row) => urls.includes(row.url)).flatMap((row) => row.passages.map((text) => ({ url: row.url, title: row.title, text })));
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1]?.toLowerCase() === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}
