// Turning a mail's content into what the thread shows: readable text from HTML, and what the person
// wrote this time apart from the quoted earlier mail and their signature.

const SKIPPED = new Set(["head", "style", "script", "title", "template", "noscript"]);
// Blocks start a new line; paragraphs also leave a blank line around them.
const BLOCK = new Set(["div", "section", "article", "header", "footer", "main", "aside", "nav", "tr", "dl", "dt", "dd", "address", "center", "form", "fieldset"]);
const PARAGRAPH = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "hr"]);
// Deeper quotes are marked as this deep: the prefix stays readable and cheap.
const MAX_QUOTE_MARKS = 10;
// Linear on any input: no part of a tag may run past the next "<", so a failed match never rescans.
const TOKENS = /<!--[\s\S]*?(?:-->|$)|<![^<>]*>|<\?[^<>]*>|<(\/?)([a-zA-Z][\w:-]*)((?:[^<>"']|"[^"<]*"|'[^'<]*')*)>|[^<]+|</;

/** Readable text from an HTML body: paragraphs and line breaks kept, links and image descriptions written out, quotes marked with "> ". */
export function htmlToText(html: string): string {
  const lines: string[] = [];
  // The line being written, in pieces: joined once when it ends, so long lines cost no more than short ones.
  let parts: string[] = [];
  let hasText = false;
  let endsWithSpace = true;
  let depth = 0; // blockquote nesting
  let skipping: string | null = null;
  let pre = 0;
  let link: { href: string; line: number; part: number } | null = null;
  const quotePrefix = () => "> ".repeat(Math.min(depth, MAX_QUOTE_MARKS));
  const newline = () => {
    lines.push((quotePrefix() + parts.join("")).trimEnd());
    parts = [];
    hasText = false;
    endsWithSpace = true;
  };
  const block = () => {
    if (hasText) newline();
    else parts = [];
  };
  const paragraph = () => {
    block();
    if (lines.length && lines[lines.length - 1] !== quotePrefix().trimEnd()) lines.push(quotePrefix().trimEnd());
  };
  const put = (text: string) => {
    if (!text) return;
    parts.push(text);
    hasText ||= /\S/.test(text);
    endsWithSpace = text.endsWith(" ");
  };
  const write = (text: string) => {
    if (pre) {
      const [first, ...rest] = text.split("\n");
      put(first!);
      for (const piece of rest) {
        newline();
        put(piece);
      }
      return;
    }
    const flat = text.replace(/\s+/g, " ");
    put(endsWithSpace ? flat.replace(/^ /, "") : flat);
  };

  const pattern = new RegExp(TOKENS.source, "gy");
  for (let match = pattern.exec(html); match; match = pattern.exec(html)) {
    const [token, closing, rawName, attrs = ""] = match;
    if (!rawName) {
      if (skipping || token.startsWith("<!") || token.startsWith("<?")) continue;
      write(decodeEntities(token));
      continue;
    }
    const name = rawName.toLowerCase();
    if (skipping) {
      if (closing && name === skipping) skipping = null;
      continue;
    }
    if (SKIPPED.has(name)) {
      if (!closing && !attrs.trimEnd().endsWith("/")) skipping = name;
      continue;
    }
    if (name === "br") newline();
    else if (name === "blockquote") {
      if (closing) {
        block();
        depth = Math.max(0, depth - 1);
        paragraph();
      } else {
        paragraph();
        depth++;
      }
    } else if (name === "li") {
      block();
      if (!closing) {
        parts = ["- "];
        endsWithSpace = true;
      }
    } else if (name === "td" || name === "th") {
      if (closing) write(" ");
    } else if (name === "pre") {
      paragraph();
      pre = Math.max(0, pre + (closing ? -1 : 1));
    } else if (name === "img" && !closing) {
      const alt = attribute(attrs, "alt");
      if (alt) write(`[${alt}]`);
    } else if (name === "a") {
      if (!closing) link = { href: attribute(attrs, "href") ?? "", line: lines.length, part: parts.length };
      else if (link) {
        const shown = link.line === lines.length ? parts.slice(link.part).join("").trim() : "";
        const target = link.href.replace(/^mailto:/i, "");
        if (/^(https?|mailto):/i.test(link.href) && target && !shown.includes(target)) write(` (${target})`);
        link = null;
      }
    } else if (PARAGRAPH.has(name)) paragraph();
    else if (BLOCK.has(name)) block();
  }
  block();
  return tidy(lines.join("\n"));
}

function attribute(attrs: string, name: string): string | null {
  const found = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(attrs);
  if (!found) return null;
  return decodeEntities(found[1] ?? found[2] ?? found[3] ?? "").trim();
}

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  shy: "",
  copy: "©",
  reg: "®",
  trade: "™",
  hellip: "…",
  mdash: "—",
  ndash: "–",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  laquo: "«",
  raquo: "»",
  bull: "•",
  middot: "·",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
  deg: "°",
  times: "×",
  divide: "÷",
  zwnj: "",
  zwj: "",
  thinsp: " ",
  ensp: " ",
  emsp: " ",
  iexcl: "¡",
  iquest: "¿",
  sect: "§",
  para: "¶",
};

export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,9});?/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : "\uFFFD";
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

// Control characters other than tab and newline show as nothing, and JSON (a message's meta)
// spells each as six bytes: they are dropped, so what a message row holds stays bounded.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+/g;

/** Trailing spaces off, runs of blank lines down to one, no blank lines at either end, no control characters. */
export function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL, "")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^\n+|\n+$/g, "");
}

export type SplitText = { body: string; quoted: string | null; signature: string | null };

// Where mail clients start the earlier message they quote below a reply ("On <date>, <name> wrote:"
// and its translations): a short line with the opening word, the verb, and a colon at the end.
const ATTRIBUTION = [
  { opening: /^On\s/i, verb: "wrote" }, // Gmail, Apple Mail, Thunderbird
  { opening: /^Le\s/i, verb: "a écrit" },
  { opening: /^Am\s/i, verb: "schrieb" },
  { opening: /^El\s/i, verb: "escribió" },
  { opening: /^Op\s/i, verb: "schreef" },
  { opening: /^Il giorno\s/i, verb: "ha scritto" },
  { opening: /^Em\s/i, verb: "escreveu" },
];
const MAX_ATTRIBUTION_CHARS = 400;
const ORIGINAL_MESSAGE = /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original)\s*-{2,}$/i;
const OUTLOOK_RULE = /^_{10,}$/;
const HEADER_LINE = /^\*?(From|De|Von|Van|Da):\*?\s/i;
// Outlook's header block of the mail it quotes ("Date:" would also catch forwarded and embedded mail).
const SENT_LINE = /^\*?(Sent|Envoyé|Gesendet|Enviado|Verzonden|Inviato):\*?\s/i;
const SIGNATURE_DELIMITER = /^-- ?$/;
const DEVICE_SIGNATURE = /^(Sent from my \S.*|Sent from (Outlook|Mail|Yahoo Mail).*|Get Outlook for \S.*|Envoyé de mon \S.*|Von meinem \S.* gesendet)$/i;
const MAX_SIGNATURE_LINES = 15;

/** What the person wrote this time, apart from the earlier mail it quotes and their signature. */
export function splitReply(text: string): SplitText {
  const full = tidy(text);
  const lines = full.split("\n");
  const quoteAt = quoteStart(lines);
  const own = lines.slice(0, quoteAt);
  const signatureAt = signatureStart(own);
  const body = tidy(own.slice(0, signatureAt).join("\n"));
  // Nothing of their own but a separator line: the whole text is what they sent.
  if (!/[\p{L}\p{N}]/u.test(body)) return { body: full, quoted: null, signature: null };
  const quoted = tidy(lines.slice(quoteAt).join("\n"));
  const signature = tidy(own.slice(signatureAt).join("\n"));
  return { body, quoted: quoted || null, signature: signature || null };
}

function quoteStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    if (isAttribution(line)) return i;
    // Clients wrap a long attribution over two lines.
    if (!line.endsWith(":") && isAttribution(`${line} ${lines[i + 1]?.trim() ?? ""}`)) return i;
    if (ORIGINAL_MESSAGE.test(line)) return i;
    if (OUTLOOK_RULE.test(line) && lines.slice(i + 1, i + 4).some((l) => HEADER_LINE.test(l.trim()))) return i;
    if (HEADER_LINE.test(line) && lines.slice(i + 1, i + 4).some((l) => SENT_LINE.test(l.trim()))) return i;
  }
  // A quote at the end with no attribution line: the trailing run of "> " lines.
  let start = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line.startsWith(">")) start = i;
    else if (line) break;
  }
  return start;
}

function isAttribution(line: string): boolean {
  if (line.length > MAX_ATTRIBUTION_CHARS || !line.endsWith(":")) return false;
  const lower = line.toLowerCase();
  return ATTRIBUTION.some(({ opening, verb }) => opening.test(line) && lower.includes(verb));
}

function signatureStart(lines: string[]): number {
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - MAX_SIGNATURE_LINES - 1); i--) {
    if (SIGNATURE_DELIMITER.test(lines[i]!)) return i;
  }
  let last = lines.length - 1;
  while (last >= 0 && !lines[last]!.trim()) last--;
  if (last >= 0 && DEVICE_SIGNATURE.test(lines[last]!.trim())) return last;
  return lines.length;
}
