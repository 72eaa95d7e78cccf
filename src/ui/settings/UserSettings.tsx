// The team: who can sign in, as agent or admin.
import { useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, formValues, useNewest } from "../components";
import { t } from "../i18n";
import { notify } from "../notices";
import { useUser } from "../session";
import { refreshTeammates } from "../teammates";
import type { Role, User } from "../types";
import { failureText } from "./useSettings";

const ROLES: Role[] = ["agent", "admin"];
const ROLE_KEYS = { agent: "settings.roleAgent", admin: "settings.roleAdmin" } as const;
const roleLabel = (role: Role) => t(ROLE_KEYS[role]);

export function UserSettings() {
  const me = useUser();
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useNewest(
    () => api<{ items: User[] }>("GET", "/users"),
    ({ items }) => setUsers(items),
  );

  const change = async (user: User, changes: Partial<Pick<User, "role" | "disabled">>) => {
    try {
      await api("PATCH", `/users/${user.id}`, changes);
      notify(t("settings.userUpdated", { name: user.name }));
    } catch (e) {
      notify(failureText(e, t("settings.notChanged")), "error");
    }
    // The assignee picker offers active users only.
    refreshTeammates();
    await load();
  };

  const add = async (event: Event) => {
    const form = event.currentTarget as HTMLFormElement;
    const v = formValues(event);
    setError(null);
    try {
      await api("POST", "/users", v);
      notify(t("settings.userAdded", { name: v.name ?? "" }));
      form.reset();
      refreshTeammates();
      await load();
    } catch (e) {
      setError(failureText(e, t("settings.userNotAdded")));
    }
  };

  return (
    <div>
      <table class="users">
        <thead>
          <tr>
            <th scope="col">{t("common.name")}</th>
            <th scope="col" class="wide">
              {t("common.email")}
            </th>
            <th scope="col">{t("settings.userRole")}</th>
            <th scope="col">{t("settings.userCanSignIn")}</th>
          </tr>
        </thead>
        <tbody>
          {(users ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td class="wide">{u.email}</td>
              <td>
                <select aria-label={t("settings.userRoleOf", { name: u.name })} disabled={u.id === me.id} onChange={(e: Event) => change(u, { role: (e.target as HTMLSelectElement).value as Role })}>
                  {ROLES.map((role) => (
                    <option key={role} value={role} selected={u.role === role}>
                      {roleLabel(role)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={t("settings.userCanSignInNamed", { name: u.name })}
                  checked={!u.disabled}
                  disabled={u.id === me.id}
                  onChange={(e: Event) => change(u, { disabled: !(e.target as HTMLInputElement).checked })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="card grid" onSubmit={add} aria-label={t("settings.userAddTitle")}>
        <h3 class="full">{t("settings.userAddTitle")}</h3>
        <label>
          {t("common.name")}
          <input name="name" required maxLength={200} />
        </label>
        <label>
          {t("common.email")}
          <input name="email" type="email" required />
        </label>
        <label>
          {t("common.password")}
          <input name="password" type="password" required minLength={8} autocomplete="new-password" />
        </label>
        <label>
          {t("settings.userRole")}
          <select name="role">
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {roleLabel(role)}
              </option>
            ))}
          </select>
        </label>
        <FormError message={error} />
        <div class="full">
          <button type="submit">{t("settings.userAdd")}</button>
        </div>
      </form>
    </div>
  );
}
