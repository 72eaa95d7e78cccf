// The inbox list: newest activity first, filtered and searched, kept current by the live feed.
import { useEffect, useRef, useState } from "hono/jsx/dom";
import { api, query } from "../api";
import { ChannelLabels, Time, useLive } from "../components";
import { conversationTitle } from "../format";
import { notifyError } from "../notices";
import { navigate, useLocation } from "../router";
import { useUser } from "../session";
import { assigneeName, useTeammates } from "../teammates";
import type { Channel, Conversation, Page } from "../types";

type Status = "open" | "complete" | "all";
const FILTERS: { value: Status; label: string }[] = [
  { value: "open", label: "Open" },
  { value: "complete", label: "Complete" },
  { value: "all", label: "All" },
];
/** Whose conversations: the URL's `assignee` ("me" or "none"; all when it names none). */
type Assignee = "me" | "none" | "all";
const ASSIGNEE_FILTERS: { value: Assignee; label: string }[] = [
  { value: "me", label: "Mine" },
  { value: "none", label: "Unassigned" },
  { value: "all", label: "All" },
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

export function ConversationList({ selectedId, path = "/inbox", channel, defaultStatus = "open", searchPlaceholder = "Search name, email or phone", assigneeFilter = true }: ListProps) {
  const me = useUser();
  const { params } = useLocation();
  const status = (FILTERS.find((f) => f.value === params.get("status"))?.value ?? defaultStatus) as Status;
  const assignee: Assignee = (assigneeFilter && ASSIGNEE_FILTERS.find((f) => f.value === params.get("assignee"))?.value) || "all";
  const q = params.get("q") ?? "";
  const [items, setItems] = useState<Conversation[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [draft, setDraft] = useState(q);
  // Answers can come back out of order while someone types: only the latest request is shown.
  const generation = useRef(0);

  const load = async (cursor?: string) => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const page = await api<Page<Conversation>>("GET", `/conversations${query({ status, q, channel, assignee: assignee === "all" ? null : assignee, cursor, limit: PAGE_SIZE })}`);
      if (mine !== generation.current) return;
      setItems((old) => (cursor ? [...old, ...page.items.filter((c) => !old.some((o) => o.id === c.id))] : page.items));
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
    document.title = waiting ? `(${waiting}) Parley` : "Parley";
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
        // An assignment moves a conversation into or out of Mine and Unassigned.
        const fits = (status === "all" || changed.status === status) && (assignee === "all" || changed.assignee === (assignee === "me" ? me.id : null));
        setItems((old) => {
          const known = old.some((c) => c.id === changed.id);
          const last = old[old.length - 1];
          // Older than every row shown while more pages wait: it belongs to a page not loaded yet.
          const beyondLoaded = !known && more.current && last !== undefined && newestFirst(changed, last) > 0;
          const rest = old.filter((c) => c.id !== changed.id);
          return fits && !beyondLoaded ? [...rest, changed].sort(newestFirst) : rest;
        });
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
    <section class="list" aria-label="Conversations">
      <div class="list-tools">
        <input type="search" aria-label="Search conversations" placeholder={searchPlaceholder} value={draft} onInput={(e: Event) => setDraft((e.target as HTMLInputElement).value)} />
        <div class="filters" role="group" aria-labelledby="filter-status">
          <span class="filter-caption" id="filter-status">
            Show
          </span>
          {FILTERS.map((f) => (
            <button key={f.value} type="button" aria-pressed={String(status === f.value)} onClick={() => setParams({ status: f.value === defaultStatus ? null : f.value })}>
              {f.label}
            </button>
          ))}
        </div>
        {assigneeFilter ? (
          <div class="filters" role="group" aria-labelledby="filter-assignee">
            <span class="filter-caption" id="filter-assignee">
              Assignee
            </span>
            {ASSIGNEE_FILTERS.map((f) => (
              <button key={f.value} type="button" aria-pressed={String(assignee === f.value)} onClick={() => setParams({ assignee: f.value === "all" ? null : f.value })}>
                {f.label}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      <ul class="rows">
        {items.map((c) => (
          <Row key={c.id} conversation={c} selected={c.id === selectedId} href={`${path}/${c.id}${search}`} assignedTo={assigneeName(c.assignee, teammates, me)} />
        ))}
      </ul>
      {!loading && items.length === 0 ? <p class="empty">{emptyText(q, status, assignee)}</p> : null}
      {nextCursor ? (
        <button type="button" class="more" disabled={loading} onClick={() => load(nextCursor)}>
          Show more
        </button>
      ) : null}
      {loading && items.length === 0 ? <p class="empty">Loading…</p> : null}
    </section>
  );
}

function emptyText(q: string, status: Status, assignee: Assignee): string {
  if (q) return "No conversation matches.";
  if (assignee === "me") return status === "complete" ? "Nothing of yours completed yet." : "Nothing assigned to you.";
  if (assignee === "none") return status === "complete" ? "No completed conversation is unassigned." : `Every ${status === "open" ? "open " : ""}conversation has an assignee.`;
  return status === "complete" ? "Nothing completed yet." : "No conversations here.";
}

function Row({ conversation: c, selected, href, assignedTo }: { conversation: Conversation; selected: boolean; href: string; assignedTo: string | null }) {
  return (
    <li class={`row ${c.unread ? "unread" : ""}`}>
      <a href={href} aria-current={selected ? "page" : undefined}>
        <span class="row-top">
          <span class="name">{conversationTitle(c)}</span>
          {c.visitorOnline ? <span class="dot online" role="img" aria-label="Online" title="Visitor online" /> : null}
          {c.status === "complete" ? (
            <span class="done" role="img" aria-label="Complete" title="Complete">
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
            <span class="badge" title={`${c.unreadCount} unread`}>
              <span class="dot unread-dot" aria-hidden="true" />
              {c.unreadCount}
              <span class="sr"> unread</span>
            </span>
          ) : null}
        </span>
        <span class="row-foot">
          <ChannelLabels channels={c.channels} />
          {assignedTo ? (
            <span class="assignee" title={`Assigned to ${assignedTo === "You" ? "you" : assignedTo}`}>
              <span class="sr">Assigned to </span>
              {assignedTo}
            </span>
          ) : null}
        </span>
      </a>
    </li>
  );
}
