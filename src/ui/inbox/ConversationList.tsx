// The inbox list: newest activity first, filtered and searched, kept current by the live feed.
import { useEffect, useRef, useState } from "hono/jsx/dom";
import { api, query } from "../api";
import { ChannelLabels, Time, useLive } from "../components";
import { conversationTitle } from "../format";
import { formatNumber, t, tn } from "../i18n";
import { feedMark, toldSince } from "../live";
import { notifyError } from "../notices";
import { navigate, useLocation } from "../router";
import { useUser } from "../session";
import { assigneeName, useTeammates } from "../teammates";
import type { Channel, Conversation, Page } from "../types";

type Status = "open" | "complete" | "all";
const statusFilters = (): { value: Status; label: string }[] => [
  { value: "open", label: t("inbox.filterOpen") },
  { value: "complete", label: t("inbox.filterComplete") },
  { value: "all", label: t("inbox.filterAll") },
];
/** Whose conversations: the URL's `assignee` ("me" or "none"; all when it names none). */
type Assignee = "me" | "none" | "all";
const assigneeFilters = (): { value: Assignee; label: string }[] => [
  { value: "me", label: t("inbox.filterMine") },
  { value: "none", label: t("inbox.filterUnassigned") },
  { value: "all", label: t("inbox.filterAll") },
];
const PAGE_SIZE = 30;

const newestFirst = (a: Conversation, b: Conversation) => b.lastMessageAt - a.lastMessageAt || (b.id > a.id ? 1 : b.id < a.id ? -1 : 0);

type ListProps = {
  selectedId: string | null;
  /** Where the list lives; rows link to `${path}/:id`. */
  path?: string;
  /** Only this channel's conversations (the SMS page); the unified inbox shows what the server lists. */
  channel?: Channel;
  /** The filter shown when the URL names none. */
  defaultStatus?: Status;
  searchPlaceholder?: string;
  /** Offer the Mine / Unassigned / All filter (the SMS page lists every SMS conversation). */
  assigneeFilter?: boolean;
};

export function ConversationList({ selectedId, path = "/inbox", channel, defaultStatus = "open", searchPlaceholder = t("inbox.searchPlaceholder"), assigneeFilter = true }: ListProps) {
  const me = useUser();
  const { params } = useLocation();
  const filters = statusFilters();
  const whose = assigneeFilters();
  const status = (filters.find((f) => f.value === params.get("status"))?.value ?? defaultStatus) as Status;
  const assignee: Assignee = (assigneeFilter && whose.find((f) => f.value === params.get("assignee"))?.value) || "all";
  const q = params.get("q") ?? "";
  const [items, setItems] = useState<Conversation[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [draft, setDraft] = useState(q);
  // Answers can come back out of order while someone types: only the latest request is shown.
  const generation = useRef(0);

  /** The list with `changed` where it now belongs: in order, or out when it no longer fits the filters. */
  const placed = (old: Conversation[], changed: Conversation, more: boolean): Conversation[] => {
    // An assignment moves a conversation into or out of Mine and Unassigned.
    const fits = (status === "all" || changed.status === status) && (assignee === "all" || changed.assignee === (assignee === "me" ? me.id : null));
    const known = old.some((c) => c.id === changed.id);
    const last = old[old.length - 1];
    // Older than every row shown while more pages wait: it belongs to a page not loaded yet.
    const beyondLoaded = !known && more && last !== undefined && newestFirst(changed, last) > 0;
    const rest = old.filter((c) => c.id !== changed.id);
    return fits && !beyondLoaded ? [...rest, changed].sort(newestFirst) : rest;
  };

  const load = async (cursor?: string) => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const asked = feedMark();
      const page = await api<Page<Conversation>>("GET", `/conversations${query({ status, q, channel, assignee: assignee === "all" ? null : assignee, cursor, limit: PAGE_SIZE })}`);
      if (mine !== generation.current) return;
      // What the feed told while the page was on its way is newer than the page (under a search,
      // only for rows the page holds: whether another matches is the server's call).
      const news = toldSince(asked).filter((c) => (!channel || c.channels.includes(channel)) && (!q || page.items.some((p) => p.id === c.id)));
      const more = page.nextCursor !== null;
      setItems((old) => news.reduce((list, c) => placed(list, c, more), cursor ? [...old, ...page.items.filter((c) => !old.some((o) => o.id === c.id))] : page.items));
      setNextCursor(page.nextCursor);
    } catch (error) {
      notifyError(error);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    load();
  }, [status, q, channel, assignee]);

  const teammates = useTeammates(items.map((c) => c.assignee));

  // The tab's title tells an agent in another tab that someone is waiting.
  const waiting = items.filter((c) => c.unread).length;
  useEffect(() => {
    document.title = waiting ? `(${formatNumber(waiting)}) Parley` : "Parley";
  }, [waiting]);

  // Typing searches after a short pause; the query lives in the URL so a reload or a link keeps it.
  useEffect(() => {
    if (draft === q) return;
    const timer = setTimeout(() => setParams({ q: draft.trim() || null }), 250);
    return () => clearTimeout(timer);
  }, [draft]);

  const shown = useRef<Conversation[]>([]);
  shown.current = items;
  const more = useRef(false);
  more.current = nextCursor !== null;
  useLive(
    (event) => {
      if (event.type === "resync") return void load();
      if (event.type === "presence") {
        setItems((old) => old.map((c) => (c.id === event.conversationId ? { ...c, visitorOnline: event.online } : c)));
      } else if (event.type === "conversation.updated") {
        const changed = event.conversation;
        if (channel && !changed.channels.includes(channel)) return;
        // Whether a conversation the list does not show matches the search is the server's call.
        if (q && !shown.current.some((c) => c.id === changed.id)) return void load();
        setItems((old) => placed(old, changed, more.current));
      }
    },
    [status, q, channel, assignee, me.id],
  );

  const setParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes))
      if (v) next.set(k, v);
      else next.delete(k);
    const search = next.toString();
    navigate(`${location.pathname}${search ? `?${search}` : ""}`, { replace: true });
  };

  const search = location.search;
  return (
    <section class="list" aria-label={t("inbox.conversations")}>
      <div class="list-tools">
        <input type="search" aria-label={t("inbox.searchConversations")} placeholder={searchPlaceholder} value={draft} onInput={(e: Event) => setDraft((e.target as HTMLInputElement).value)} />
        <fieldset class="filters" aria-labelledby="filter-status">
          <span class="filter-caption" id="filter-status">
            {t("inbox.filterShow")}
          </span>
          {filters.map((f) => (
            <button key={f.value} type="button" aria-pressed={String(status === f.value)} onClick={() => setParams({ status: f.value === defaultStatus ? null : f.value })}>
              {f.label}
            </button>
          ))}
        </fieldset>
        {assigneeFilter ? (
          <fieldset class="filters" aria-labelledby="filter-assignee">
            <span class="filter-caption" id="filter-assignee">
              {t("inbox.assignee")}
            </span>
            {whose.map((f) => (
              <button key={f.value} type="button" aria-pressed={String(assignee === f.value)} onClick={() => setParams({ assignee: f.value === "all" ? null : f.value })}>
                {f.label}
              </button>
            ))}
          </fieldset>
        ) : null}
      </div>
      <ul class="rows">
        {items.map((c) => (
          <Row key={c.id} conversation={c} selected={c.id === selectedId} href={`${path}/${c.id}${search}`} assignedTo={assigneeName(c.assignee, teammates, me)} mine={c.assignee === me.id} />
        ))}
      </ul>
      {!loading && items.length === 0 ? <p class="empty">{emptyText(q, status, assignee)}</p> : null}
      {nextCursor ? (
        <button type="button" class="more" disabled={loading} onClick={() => load(nextCursor)}>
          {t("inbox.showMore")}
        </button>
      ) : null}
      {loading && items.length === 0 ? <p class="empty">{t("common.loading")}</p> : null}
    </section>
  );
}

function emptyText(q: string, status: Status, assignee: Assignee): string {
  if (q) return t("inbox.emptySearch");
  if (assignee === "me") return status === "complete" ? t("inbox.emptyMineComplete") : t("inbox.emptyMine");
  if (assignee === "none") return status === "complete" ? t("inbox.emptyUnassignedComplete") : status === "open" ? t("inbox.emptyUnassignedOpen") : t("inbox.emptyUnassigned");
  return status === "complete" ? t("inbox.emptyComplete") : t("inbox.empty");
}

function Row({ conversation: c, selected, href, assignedTo, mine }: { conversation: Conversation; selected: boolean; href: string; assignedTo: string | null; mine: boolean }) {
  return (
    <li class={`row ${c.unread ? "unread" : ""}`}>
      <a href={href} aria-current={selected ? "page" : undefined}>
        <span class="row-top">
          <span class="name">{conversationTitle(c)}</span>
          {c.visitorOnline ? <span class="dot online" role="img" aria-label={t("inbox.online")} title={t("inbox.visitorOnline")} /> : null}
          {c.status === "complete" ? (
            <span class="done" role="img" aria-label={t("inbox.stateComplete")} title={t("inbox.stateComplete")}>
              ✓
            </span>
          ) : null}
          <Time at={c.lastMessageAt} />
        </span>
        <span class="row-bottom">
          <span class="preview" dir="auto">
            {c.preview}
          </span>
          {c.unread ? (
            <span class="badge" title={tn("common.unreadCount", c.unreadCount)}>
              <span class="dot unread-dot" aria-hidden="true" />
              {formatNumber(c.unreadCount)}
              <span class="sr"> {tn("inbox.unreadAfterCount", c.unreadCount)}</span>
            </span>
          ) : null}
        </span>
        <span class="row-foot">
          <ChannelLabels channels={c.channels} />
          {assignedTo ? (
            <span class="assignee" title={mine ? t("inbox.assignedToYou") : t("inbox.assignedTo", { name: assignedTo })}>
              <span class="sr">{t("inbox.assignedToLead")} </span>
              {assignedTo}
            </span>
          ) : null}
        </span>
      </a>
    </li>
  );
}
