// What the visitor wrote that the server has not acknowledged yet, oldest first. Kept in the host
// page's localStorage with the visitor token it was written under, so a reload, a closed tab or a
// lost network loses none of it, and someone else later chatting on this browser never sends it.
import { store, stored } from "./api";
import { t } from "./words";

export type Unsent = { clientId: string; body: string };

const KEY = "parley.unsent";
/** Bounds what the widget keeps in storage it shares with the host site itself. */
const MAX_UNSENT = 50;
/** The server's limit (MAX_MESSAGE_LENGTH): anything longer would be refused, so it is never kept. */
const MAX_BODY = 10_000;

export class Outbox {
  /** This page's, in the order written: what it sends. */
  items: Unsent[];

  constructor(private owner: () => string | null) {
    this.items = this.stored();
  }

  /** Keeps a message until it is acknowledged; says why not when it cannot. */
  add(unsent: Unsent): string | null {
    if (unsent.body.length > MAX_BODY) return t("tooLong", { max: MAX_BODY });
    if (this.items.length >= MAX_UNSENT) return t("tooManyWaiting");
    this.change((items) => [...items, unsent]);
    return null;
  }

  drop(clientId: string) {
    this.change((items) => items.filter((unsent) => unsent.clientId !== clientId));
  }

  clear() {
    this.change(() => []);
  }

  /** Storage holds what every tab of the site has waiting: each edits it as it is now, so no tab writes over another's. */
  private change(edit: (items: Unsent[]) => Unsent[]) {
    this.items = edit(this.items);
    store(KEY, JSON.stringify([this.owner(), edit(this.stored())]));
  }

  private stored(): Unsent[] {
    try {
      const [owner, items] = JSON.parse(stored(KEY) ?? "[]");
      return owner === this.owner() ? items : [];
    } catch {
      return [];
    }
  }
}
