// The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with.
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { ApiRouter, endpoints, type Endpoint } from "../http/router";

const ErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** A schema in the document's own dialect (declared once at the top, not in every schema). */
function jsonSchema(schema: z.ZodType, io: "input" | "output") {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" });
  return rest;
}

function operation({ method, path, spec }: Endpoint) {
  const parameters = [...[...path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } })), ...queryParameters(spec.query)];
  const errors = {
    "400": "Invalid input",
    ...(spec.access === "public" ? {} : { "401": "Not signed in" }),
    ...(spec.access === "admin" ? { "403": "Admins only" } : {}),
    ...(path.includes(":") ? { "404": "No such item" } : {}),
    ...(spec.body ? { "413": "Body over the size limit", "415": "Body not sent as application/json" } : {}),
  };
  return [
    method,
    {
      summary: spec.summary,
      operationId: `${method}${path.replace(/[/:{}-](\w)?/g, (_m, ch?: string) => (ch ? ch.toUpperCase() : ""))}`,
      ...(spec.access === "public" ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body ? { requestBody: requestBody(spec.body) } : {}),
      responses: {
        [String(spec.status ?? 200)]: {
          description: "Success",
          ...(spec.response ? { content: { "application/json": { schema: jsonSchema(spec.response, "output") } } } : {}),
        },
        ...Object.fromEntries(Object.entries(errors).map(([status, description]) => [status, { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }])),
      },
    },
  ] as const;
}

/** An empty body is read as `{}`, so the body is required only when `{}` is not enough. */
function requestBody(schema: z.ZodType) {
  return { required: !schema.safeParse({}).success, content: { "application/json": { schema: jsonSchema(schema, "input") } } };
}

function queryParameters(query: z.ZodType | undefined) {
  if (!(query instanceof z.ZodObject)) return [];
  return Object.entries(query.shape as Record<string, z.ZodType>).map(([name, schema]) => ({
    name,
    in: "query",
    required: !schema.safeParse(undefined).success,
    schema: jsonSchema(schema, "input"),
  }));
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of endpoints) {
    const path = endpoint.path.replace(/:(\w+)/g, "{$1}");
    const [method, op] = operation(endpoint);
    (paths[path] ??= {})[method] = op;
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: { title: "Parley API", version: "1.0.0", description: "The unified inbox: contacts, conversations, replies, settings." },
    servers: [{ url: "/" }],
    components: {
      schemas: { Error: jsonSchema(ErrorSchema, "output") },
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "parley_session" },
        bearer: { type: "http", scheme: "bearer", description: "An API token created by an admin" },
      },
    },
    security: [{ session: [] }, { bearer: [] }],
    paths,
  };
}

const docs = new ApiRouter("/api").get(
  "/openapi.json",
  {
    summary: "This document",
    access: "public",
    response: z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }),
  },
  (c) => c.json(openApiDocument()),
);

export const openApiRoutes = new Hono<AppEnv>().route(docs.base, docs.hono);
