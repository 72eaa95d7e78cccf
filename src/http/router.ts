// Every API route is declared through ApiRouter: one declaration gives the route, its access
// rule, its validation and its OpenAPI entry, so the three cannot drift apart.
import { Hono, type Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../env";
import { requireAccess, type Access } from "./auth";
import { ApiError, badRequest } from "../errors";
import { parseInput } from "./validation";

type Method = "get" | "post" | "put" | "patch" | "delete";

export type EndpointSpec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> = {
  summary: string;
  access: Access;
  body?: B;
  query?: Q;
  /** Shape of a successful answer, for the OpenAPI document. */
  response?: z.ZodType;
  /** Status of a successful answer, when it is not 200. */
  status?: number;
};

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export type Input<B, Q> = { body: Infer<B>; query: Infer<Q>; params: Record<string, string> };

type Handler<B, Q> = (c: Context<AppEnv>, input: Input<B, Q>) => Response | Promise<Response>;

export type Endpoint = { method: Method; path: string; spec: EndpointSpec<z.ZodType | undefined, z.ZodType | undefined> };

/** Every endpoint declared so far, in declaration order; the OpenAPI document is built from it. */
export const endpoints: Endpoint[] = [];

export class ApiRouter {
  readonly hono = new Hono<AppEnv>();

  constructor(readonly base: string) {}

  get<Q extends z.ZodType | undefined = undefined>(path: string, spec: EndpointSpec<undefined, Q>, handler: Handler<undefined, Q>) {
    return this.add("get", path, spec, handler);
  }
  post<B extends z.ZodType | undefined = undefined>(path: string, spec: EndpointSpec<B, undefined>, handler: Handler<B, undefined>) {
    return this.add("post", path, spec, handler);
  }
  put<B extends z.ZodType | undefined = undefined>(path: string, spec: EndpointSpec<B, undefined>, handler: Handler<B, undefined>) {
    return this.add("put", path, spec, handler);
  }
  patch<B extends z.ZodType | undefined = undefined>(path: string, spec: EndpointSpec<B, undefined>, handler: Handler<B, undefined>) {
    return this.add("patch", path, spec, handler);
  }
  delete(path: string, spec: EndpointSpec<undefined, undefined>, handler: Handler<undefined, undefined>) {
    return this.add("delete", path, spec, handler);
  }

  private add<B extends z.ZodType | undefined, Q extends z.ZodType | undefined>(method: Method, path: string, spec: EndpointSpec<B, Q>, handler: Handler<B, Q>) {
    endpoints.push({ method, path: this.base + path, spec });
    this.hono.on(method.toUpperCase(), path, async (c) => {
      await requireAccess(c, spec.access);
      const body = spec.body ? parseInput(spec.body, await readJson(c), "request body") : undefined;
      const query = spec.query ? parseInput(spec.query, givenQuery(c), "query") : undefined;
      return handler(c, { body, query, params: c.req.param() } as Input<B, Q>);
    });
    return this;
  }
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  // Another site's page can post text/plain or a form without the browser asking us first; for JSON
  // the browser asks (CORS), and only the widget's API says yes.
  if (!declaresJson(c.req.header("content-type"))) {
    throw new ApiError(415, "unsupported_media_type", "Send the request body as JSON, with Content-Type: application/json.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("invalid_json", "The request body is not valid JSON.");
  }
}

function declaresJson(contentType: string | undefined): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/** The query string's parameters; an empty one (`?q=&unread=`, as forms send them) counts as not given. */
function givenQuery(c: Context): Record<string, string> {
  return Object.fromEntries(Object.entries(c.req.query()).filter(([, value]) => value !== ""));
}
