// The workspace's active users (GET /api/teammates), for assignee names and the assignee picker.
// Fetched once for the page and shared; asked again when a conversation names someone the copy
// does not know (a teammate added since), or when an admin changes the team in settings.
import { useEffect, useState } from "hono/jsx/dom";
import { api } from "./api";
import { t } from "./i18n";
import type { Teammate, User } from "./types";

let current: Teammate[] | null = null;
let pending: Promise<void> | null = null;
let generation = 0;
const listeners = new Set<(teammates: Teammate[] | null) => void>();
/** Ids already asked about once: someone disabled stays unknown, without a request per render. */
const askedAbout = new Set<string>();

function publish(next: Teammate[] | null) {
  current = next;
  listeners.forEach((l) => void l(current));
}

/** Fetches the list (again); concurrent callers share one request. */
export function refreshTeammates(): Promise<void> {
  const mine = ++generation;
  pending = api<{ items: Teammate[] }>("GET", "/teammates")
    .then(({ items }) => {
      if (mine === generation) publish(items);
    })
    .catch(() => {
      // Offline or signed out: names fall back to "A teammate"; the next mount asks again.
    })
    .finally(() => {
      if (mine === generation) pending = null;
    });
  return pending;
}

/** Forgets the list (on sign-out: the next person signed in may see another team). */
export function forgetTeammates() {
  generation++;
  pending = null;
  askedAbout.clear();
  publish(null);
}

/**
 * The teammates, null until they are known. `mentioned` are the assignee ids on screen: one the
 * copy does not know makes it ask the server again, once per id.
 */
export function useTeammates(mentioned: (string | null)[] = []): Teammate[] | null {
  const [teammates, setTeammates] = useState<Teammate[] | null>(current);
  useEffect(() => {
    listeners.add(setTeammates);
    if (current) setTeammates(current);
    else if (!pending) refreshTeammates();
    return () => {
      listeners.delete(setTeammates);
    };
  }, []);
  const unknown = teammates ? mentioned.filter((id): id is string => id !== null && !askedAbout.has(id) && !teammates.some((t) => t.id === id)) : [];
  const key = unknown.join(",");
  useEffect(() => {
    if (!key || pending) return;
    for (const id of unknown) askedAbout.add(id);
    refreshTeammates();
  }, [key]);
  return teammates;
}

/** How an assignee reads on screen: "You" for the person signed in, the teammate's name, or null when nobody is assigned. */
export function assigneeName(id: string | null, teammates: Teammate[] | null, me: User): string | null {
  if (id === null) return null;
  if (id === me.id) return t("inbox.you");
  return teammates?.find((mate) => mate.id === id)?.name ?? t("inbox.aTeammate");
}
