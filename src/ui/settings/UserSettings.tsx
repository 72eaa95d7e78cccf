// The team: who can sign in, as agent or admin.
import { useEffect, useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, formValues } from "../components";
import { notify, notifyError } from "../notices";
import { useUser } from "../session";
import { refreshTeammates } from "../teammates";
import type { Role, User } from "../types";

export function UserSettings() {
  const me = useUser();
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => api<{ items: User[] }>("GET", "/users").then(({ items }) => setUsers(items), notifyError);
  useEffect(() => {
    load();
  }, []);

  const change = async (user: User, changes: Partial<Pick<User, "role" | "disabled">>) => {
    try {
      await api("PATCH", `/users/${user.id}`, changes);
      notify(`${user.name} updated.`);
    } catch (e) {
      notifyError(e);
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
      notify(`${v.name} can now sign in.`);
      form.reset();
      refreshTeammates();
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : "Not added.");
    }
  };

  return (
    <div>
      <table class="users">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" class="wide">
              Email
            </th>
            <th scope="col">Role</th>
            <th scope="col">Can sign in</th>
          </tr>
        </thead>
        <tbody>
          {(users ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td class="wide">{u.email}</td>
              <td>
                <select aria-label={`Role of ${u.name}`} disabled={u.id === me.id} onChange={(e: Event) => change(u, { role: (e.target as HTMLSelectElement).value as Role })}>
                  <option value="agent" selected={u.role === "agent"}>
                    Agent
                  </option>
                  <option value="admin" selected={u.role === "admin"}>
                    Admin
                  </option>
                </select>
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${u.name} can sign in`}
                  checked={!u.disabled}
                  disabled={u.id === me.id}
                  onChange={(e: Event) => change(u, { disabled: !(e.target as HTMLInputElement).checked })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="card grid" onSubmit={add} aria-label="Add a user">
        <h3 class="full">Add a user</h3>
        <label>
          Name
          <input name="name" required maxLength={200} />
        </label>
        <label>
          Email
          <input name="email" type="email" required />
        </label>
        <label>
          Password
          <input name="password" type="password" required minLength={8} autocomplete="new-password" />
        </label>
        <label>
          Role
          <select name="role">
            <option value="agent">Agent</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        <FormError message={error} />
        <div class="full">
          <button type="submit">Add user</button>
        </div>
      </form>
    </div>
  );
}
