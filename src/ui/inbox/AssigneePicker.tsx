// Who a conversation is assigned to, in its header: a picker of the team (nobody, you, the
// others), "Assign to me", and "Next available" (round-robin: the server picks the teammate online
// now with the fewest open conversations). The server's answer is the state shown, here and in the
// list, unless the live feed has told of a newer one.
import { useState } from "hono/jsx/dom";
import { api, ApiFailure } from "../api";
import { t } from "../i18n";
import { publishAnswer } from "../live";
import { notify, notifyError } from "../notices";
import { useUser } from "../session";
import { assigneeName, refreshTeammates, useTeammates } from "../teammates";
import type { Conversation } from "../types";

export function AssigneePicker({ conversation }: { conversation: Conversation }) {
  const me = useUser();
  const current = conversation.assignee;
  const teammates = useTeammates([current]);
  const [busy, setBusy] = useState(false);
  // SMS conversations are for admins only: agents are not offered for them.
  const others = (teammates ?? []).filter((mate) => mate.id !== me.id && (!conversation.adminsOnly || mate.role === "admin"));
  // Someone the list does not offer (disabled since, or not loaded yet) still shows as the assignee.
  const unlisted = current !== null && current !== me.id && !others.some((mate) => mate.id === current);

  const assign = async (userId: string | null, select?: HTMLSelectElement) => {
    if (userId === current) return;
    setBusy(true);
    try {
      const next = await publishAnswer(api<Conversation>("PUT", `/conversations/${conversation.id}/assignee`, { userId }));
      const name = assigneeName(next.assignee, teammates, me);
      notify(name === null ? t("inbox.unassignedNotice") : next.assignee === me.id ? t("inbox.assignedNoticeYou") : t("inbox.assignedNotice", { name }));
    } catch (error) {
      // The picker goes back to the assignee the conversation still has.
      if (select) select.value = current ?? "";
      // Someone left the team since the picker was filled: it offers who is there now.
      if (error instanceof ApiFailure && error.code === "invalid_assignee") refreshTeammates();
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  // Round-robin: whoever the server finds online, or its sentence saying nobody is.
  const assignNext = async () => {
    setBusy(true);
    try {
      const next = await publishAnswer(api<Conversation>("POST", `/conversations/${conversation.id}/assign-next`));
      const name = assigneeName(next.assignee, teammates, me);
      notify(next.assignee === me.id ? t("inbox.nextAvailableYou") : name ? t("inbox.nextAvailableAssigned", { name }) : t("inbox.nextAvailableSomeone"));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="assign">
      <label>
        {t("inbox.assignee")}
        <select value={current ?? ""} disabled={busy} onChange={(e: Event) => assign((e.target as HTMLSelectElement).value || null, e.target as HTMLSelectElement)}>
          <option value="" selected={current === null}>
            {t("inbox.unassigned")}
          </option>
          <option value={me.id} selected={current === me.id}>
            {t("inbox.youNamed", { name: me.name })}
          </option>
          {others.map((mate) => (
            <option key={mate.id} value={mate.id} selected={current === mate.id}>
              {mate.name}
            </option>
          ))}
          {unlisted ? (
            <option value={current} selected>
              {assigneeName(current, teammates, me)}
            </option>
          ) : null}
        </select>
      </label>
      {current !== me.id ? (
        <button type="button" class="secondary" disabled={busy} onClick={() => assign(me.id)}>
          {t("inbox.assignToMe")}
        </button>
      ) : null}
      {current !== me.id ? (
        <button type="button" class="secondary" disabled={busy} onClick={assignNext} title={t("inbox.nextAvailableTitle")}>
          {t("inbox.nextAvailable")}
        </button>
      ) : null}
    </div>
  );
}
