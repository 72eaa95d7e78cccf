// What a channel keeps beside a message's text (its `meta`): attached files, the quoted part of
// an email, Messenger's attachments and an MMS's media (links to the provider), the campaign a CRM
// sent an SMS for, notes on what could not be kept as sent. Read defensively: meta is free-form.
import { currentLanguage, formatNumber, t } from "../i18n";
import type { Message } from "../types";

type Meta = Message["meta"];
type FileSummary = { id: string; filename: string; size: number };
/** A link to something the provider keeps: Messenger's `attachments`, an MMS's `media`. */
type Linked = { url: string; label: string };
export type Campaign = { kind: "campaign" | "automation"; name: string | null };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isFile = (f: unknown): f is FileSummary => isRecord(f) && typeof f.id === "string" && typeof f.filename === "string";
const webUrl = (v: unknown): string | null => (typeof v === "string" && /^https?:\/\//i.test(v) ? v : null);

/** Messenger's { type, url, title } and an MMS's { url, contentType }, each a link when its URL is a web address. */
function linked(list: unknown, label: (item: Record<string, unknown>) => unknown): Linked[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const url = isRecord(item) ? webUrl(item.url) : null;
    if (!url || !isRecord(item)) return [];
    const text = label(item);
    return [{ url, label: typeof text === "string" && text.trim() ? text.trim() : t("inbox.attachment") }];
  });
}

/** Messenger's attachments and an MMS's media, as links to where the provider keeps them. */
export function linkedFiles(meta: Meta): Linked[] {
  return [
    ...linked(meta.attachments, (a) => a.title || (typeof a.type === "string" ? (kindName(a.type) ?? `${a.type[0]?.toUpperCase()}${a.type.slice(1)}`) : null)),
    ...linked(meta.media, (m) => (typeof m.contentType === "string" ? mediaLabel(m.contentType) : null)),
  ];
}

/** The text without the "[image] https://…" lines the channel wrote for files shown as links. */
export function withoutLinkLines(body: string, links: Linked[]): string {
  if (!links.length) return body;
  const urls = new Set(links.map((l) => l.url));
  return body
    .split("\n")
    .filter((line) => {
      const file = /^\[[^\]]*\] (\S+)$/.exec(line.trim());
      return !(file && urls.has(file[1]!));
    })
    .join("\n")
    .trim();
}

export function campaignOf(meta: Meta): Campaign | null {
  const c = meta.campaign;
  if (!isRecord(c) || (c.kind !== "campaign" && c.kind !== "automation")) return null;
  return { kind: c.kind, name: typeof c.name === "string" && c.name.trim() ? c.name.trim() : null };
}

/** The words for a campaign, unnamed and named: as a label, and as what a reply answers. */
const CAMPAIGN_WORDS = {
  label: { campaign: ["inbox.campaign", "inbox.campaignNamed"], automation: ["inbox.automation", "inbox.automationNamed"] },
  reply: { campaign: ["inbox.inReplyToCampaign", "inbox.inReplyToCampaignNamed"], automation: ["inbox.inReplyToAutomation", "inbox.inReplyToAutomationNamed"] },
} as const;

/** "Campaign “Spring sale”", "Automation"; as what a reply answers, "In reply to campaign “Spring sale”". */
export function campaignLabel(c: Campaign, as: keyof typeof CAMPAIGN_WORDS = "label"): string {
  const [unnamed, named] = CAMPAIGN_WORDS[as][c.kind];
  return c.name ? t(named, { name: c.name }) : t(unnamed);
}

/** An outbound SMS's billing: { segments, encoding }. */
export function smsOf(meta: Meta): { segments: number; encoding: string } | null {
  const s = meta.sms;
  if (!isRecord(s) || typeof s.segments !== "number") return null;
  return { segments: s.segments, encoding: typeof s.encoding === "string" ? s.encoding : "" };
}

function size(bytes: number): string {
  if (!(bytes >= 0)) return "";
  if (bytes < 1024) return t("inbox.sizeBytes", { size: formatNumber(bytes) });
  if (bytes < 1024 * 1024) return t("inbox.sizeKilobytes", { size: formatNumber(Math.round(bytes / 1024)) });
  const megabytes = (bytes / (1024 * 1024)).toLocaleString(currentLanguage(), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return t("inbox.sizeMegabytes", { size: megabytes });
}

export function MessageExtras({ meta }: { meta: Meta }) {
  const files = Array.isArray(meta.attachments) ? meta.attachments.filter(isFile) : [];
  const links = linkedFiles(meta);
  const quoted = typeof meta.quoted === "string" && meta.quoted.trim() ? meta.quoted : null;
  const problems = Array.isArray(meta.problems) ? meta.problems.filter((p): p is string => typeof p === "string") : [];
  return (
    <>
      {quoted ? (
        <details class="quoted">
          <summary>{t("inbox.quotedText")}</summary>
          <p class="body">{quoted}</p>
        </details>
      ) : null}
      {files.length ? (
        <ul class="files" aria-label={t("inbox.attachments")}>
          {files.map((f) => (
            <li key={f.id}>
              <a href={`/api/attachments/${encodeURIComponent(f.id)}`} download={f.filename}>
                {f.filename}
              </a>{" "}
              <span class="muted">{size(f.size)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {links.length ? (
        <ul class="files" aria-label={t("inbox.attachments")}>
          {links.map((l, i) => (
            <li key={`${i}:${l.url}`}>
              <a href={l.url} target="_blank" rel="noopener noreferrer">
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {problems.map((p) => (
        <p key={p} class="note">
          {p}
        </p>
      ))}
    </>
  );
}

/** What a file is, by a media type's first part or Messenger's attachment type ("image" reads "Image"). */
const KINDS = { image: "inbox.kindImage", video: "inbox.kindVideo", audio: "inbox.kindAudio", text: "inbox.kindText", application: "inbox.kindFile", file: "inbox.kindFile" } as const;

const kindName = (kind: string): string | null => (Object.hasOwn(KINDS, kind) ? t(KINDS[kind as keyof typeof KINDS]) : null);

/** "image/jpeg" reads "Image (JPEG)". */
function mediaLabel(contentType: string): string {
  const [kind, sub] = contentType.toLowerCase().split(";")[0]!.trim().split("/");
  const name = kindName(kind ?? "") ?? t("inbox.kindFile");
  return sub ? `${name} (${sub.toUpperCase()})` : name;
}
