import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = ReturnType<typeof connect>;

const connect = (d1: D1Database) => drizzle(d1, { schema });

/** Building the client reads the whole schema: done once per binding, not once per query. */
const clients = new WeakMap<D1Database, Db>();

export function database(d1: D1Database): Db {
  let db = clients.get(d1);
  if (!db) clients.set(d1, (db = connect(d1)));
  return db;
}
