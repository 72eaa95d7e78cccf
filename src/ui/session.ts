// Who is signed in, shared with every page.
import { createContext, useContext } from "hono/jsx/dom";
import type { User } from "./types";

export const SessionContext = createContext<User | null>(null);

export function useUser(): User {
  const user = useContext(SessionContext);
  if (!user) throw new Error("useUser outside a signed-in page");
  return user;
}
