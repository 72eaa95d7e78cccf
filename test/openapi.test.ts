// GET /api/openapi.json: what a CRM developer reads to call Parley. It must list the contract's
// routes, and say exactly what the routes enforce, since both come from the same zod schemas.
import { beforeAll, describe, expect, it } from "vitest";
import { endpoints } from "../src/http/router";
import { admin, call, type Session } from "./helpers";
import { from, receive } from "./inbound";

type Schema = Record<string, any>;
type Operation = {
  operationId: string;
  parameters?: Schema[];
  requestBody?: { required: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, Schema>;
  security?: unknown[];
};

let doc: any;
let owner: Session;
beforeAll(async () => {
  owner = await admin();
  const res = await call("GET", "/api/openapi.json");
  expect(res.status).toBe(200);
  doc = res.json;
});

const operations = (): [string, string, Operation][] =>
  Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [method, path, op] as [string, string, Operation]));

/** The agent API as Parley promises it to integrators, as the document should name it. */
const CONTRACT_ROUTES = [
  "post /api/setup",
  "post /api/auth/login",
  "post /api/auth/logout",
  "get /api/me",
  "get /api/users",
  "post /api/users",
  "patch /api/users/{id}",
  "get /api/tokens",
  "post /api/tokens",
  "delete /api/tokens/{id}",
  "get /api/conversations",
  "get /api/conversations/{id}",
  "get /api/conversations/{id}/messages",
  "post /api/conversations/{id}/messages",
  "post /api/conversations/{id}/read",
  "post /api/conversations/{id}/complete",
  "post /api/conversations/{id}/reopen",
  "post /api/conversations/{id}/transcript",
  "get /api/contacts",
  "post /api/contacts",
  "get /api/contacts/{id}",
  "patch /api/contacts/{id}",
  "delete /api/contacts/{id}",
  "post /api/contacts/{id}/merge",
  "get /api/contacts/{id}/conversations",
  "get /api/saved-responses",
  "post /api/saved-responses",
  "patch /api/saved-responses/{id}",
  "delete /api/saved-responses/{id}",
  "post /api/saved-responses/{id}/render",
  "get /api/settings",
  "put /api/settings",
  "get /api/openapi.json",
];

describe("the OpenAPI document", () => {
  it("is an OpenAPI 3.1 document with the parts a client generator needs", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes).toMatchObject({ session: { type: "apiKey", in: "cookie" }, bearer: { type: "http", scheme: "bearer" } });
    const ids = operations().map(([, , op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [method, path, op] of operations()) {
      const where = `${method} ${path}`;
      expect(["get", "post", "put", "patch", "delete"], where).toContain(method);
      expect(path, where).toMatch(/^\/api\//);
      expect(
        Object.keys(op.responses).some((status) => status.startsWith("2")),
        where,
      ).toBe(true);
      for (const response of Object.values(op.responses)) expect(response.description, where).toEqual(expect.any(String));
      // Every {param} in the path is declared, and nothing else claims to be in the path.
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => p.in === "path");
      expect(declared.map((p) => p.name).sort(), where).toEqual(inPath.sort());
      for (const p of declared) expect(p.required, where).toBe(true);
    }
  });

  it("lists every route of the contract's agent API", () => {
    const listed = operations().map(([method, path]) => `${method} ${path}`);
    for (const route of CONTRACT_ROUTES) expect(listed, route).toContain(route);
  });

  it("resolves every $ref it uses", () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      const pointer = ref.slice(8, -1);
      if (!pointer.startsWith("#/")) continue; // a schema's own local definitions are resolved within it
      const target = pointer
        .slice(2)
        .split("/")
        .reduce((node: any, key) => node?.[key], doc);
      if (pointer.startsWith("#/components/")) expect(target, pointer).toBeDefined();
    }
    expect(doc.components.schemas.Error).toMatchObject({ type: "object", required: ["error"] });
  });

  it("marks public routes as needing no sign-in, and the others as needing it (the server agrees)", async () => {
    for (const [method, path, op] of operations()) {
      const res = await call(method.toUpperCase(), path.replace(/\{\w+\}/g, "doc-check"), { body: method === "get" ? undefined : {} });
      if (op.security?.length !== 0) expect(res.status, `${method} ${path}`).toBe(401);
      // The widget's public routes answer to a visitor token instead; the agent API's never ask for one.
      else if (CONTRACT_ROUTES.includes(`${method} ${path}`)) expect(res.status, `${method} ${path}`).not.toBe(401);
    }
  });
});

describe("the document and the validation agree", () => {
  /** JSON types a schema allows, or null when the schema does not say. */
  function allowedTypes(schema: Schema): Set<string> | null {
    if (schema.type) return new Set([schema.type].flat());
    if (schema.enum) return new Set(schema.enum.map((v: unknown) => (v === null ? "null" : typeof v)));
    if ("const" in schema) return new Set([schema.const === null ? "null" : typeof schema.const]);
    const union = schema.anyOf ?? schema.oneOf;
    if (union) {
      const parts = union.map(allowedTypes);
      return parts.includes(null) ? null : new Set(parts.flatMap((p: Set<string>) => [...p]));
    }
    return null;
  }
  const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);
  /** A value of a JSON type the schema does not allow. */
  function wrongValue(schema: Schema): unknown {
    const allowed = allowedTypes(schema);
    if (!allowed) return undefined;
    return [12345, "text", true, [1], { k: 1 }].find((v) => {
      const t = typeOf(v);
      return !allowed.has(t) && !(t === "integer" && allowed.has("number"));
    });
  }
  const bodies = () =>
    operations()
      .filter(([, , op]) => op.requestBody)
      .map(([method, path, op]) => ({ method: method.toUpperCase(), path: path.replace(/\{\w+\}/g, "doc-check"), schema: op.requestBody!.content["application/json"]!.schema, op }));

  it("refuses a body missing a field the document marks required, naming that field; and takes {} where nothing is required", async () => {
    for (const { method, path, schema, op } of bodies()) {
      const res = await call(method, path, { as: owner, body: {} });
      const required: string[] = schema.required ?? [];
      // "one of these fields" is said as anyOf: [{required: [a]}, {required: [b]}].
      const oneOf: string[] = (schema.anyOf ?? []).flatMap((alternative: Schema) => alternative.required ?? []);
      expect(op.requestBody!.required, `${method} ${path}`).toBe(required.length + oneOf.length > 0);
      if (required.length + oneOf.length === 0) {
        expect(res.json?.error?.code, `${method} ${path}`).not.toBe("invalid_input");
        continue;
      }
      expect(res.status, `${method} ${path}`).toBe(400);
      const paths = res.json.error.details.map((d: any) => d.path);
      for (const field of required) expect(paths, `${method} ${path} requires ${field}`).toContain(field);
      if (oneOf.length)
        expect(
          oneOf.some((field) => paths.includes(field)),
          `${method} ${path} requires one of ${oneOf}`,
        ).toBe(true);
    }
  });

  it("refuses, naming the field, a value of a type the document does not allow", async () => {
    let checked = 0;
    for (const { method, path, schema } of bodies()) {
      for (const [field, fieldSchema] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
        const wrong = wrongValue(fieldSchema);
        if (wrong === undefined) continue;
        checked++;
        const res = await call(method, path, { as: owner, body: { [field]: wrong } });
        expect(res.status, `${method} ${path} ${field}=${JSON.stringify(wrong)}`).toBe(400);
        expect(
          res.json.error.details.map((d: any) => d.path.split(".")[0]),
          `${method} ${path} ${field}`,
        ).toContain(field);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("refuses a value outside an enum the document lists, in a body or a query", async () => {
    let checked = 0;
    for (const [method, path, op] of operations()) {
      const url = path.replace(/\{\w+\}/g, "doc-check");
      for (const param of (op.parameters ?? []).filter((p) => p.in === "query" && p.schema.enum)) {
        checked++;
        const res = await call(method.toUpperCase(), `${url}?${param.name}=not-a-choice`, { as: owner });
        expect(res.status, `${method} ${path}?${param.name}`).toBe(400);
        expect(res.json.error.details[0].path).toBe(param.name);
      }
      const schema = op.requestBody?.content["application/json"]?.schema;
      for (const [field, fieldSchema] of Object.entries((schema?.properties ?? {}) as Record<string, Schema>)) {
        if (!fieldSchema.enum) continue;
        checked++;
        const res = await call(method.toUpperCase(), url, { as: owner, body: { [field]: "not-a-choice" } });
        expect(res.status, `${method} ${path} ${field}`).toBe(400);
        expect(
          res.json.error.details.map((d: any) => d.path),
          `${method} ${path} ${field}`,
        ).toContain(field);
      }
    }
    expect(checked).toBeGreaterThan(3);
  });

  it("refuses keys a body schema closes with additionalProperties: false", async () => {
    for (const { method, path, schema } of bodies()) {
      if (schema.additionalProperties !== false) continue;
      const res = await call(method, path, { as: owner, body: { notAField: 1 } });
      expect(res.status, `${method} ${path}`).toBe(400);
    }
  });

  it("states the real length limits: a string one past its maxLength is refused", async () => {
    let checked = 0;
    for (const { method, path, schema } of bodies()) {
      for (const [field, fieldSchema] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
        const max = fieldSchema.maxLength ?? fieldSchema.anyOf?.find((s: Schema) => s.maxLength)?.maxLength;
        if (!max) continue;
        checked++;
        const res = await call(method, path, { as: owner, body: { [field]: "a".repeat(max + 1) } });
        expect(res.status, `${method} ${path} ${field}`).toBe(400);
        expect(
          res.json.error.details.map((d: any) => d.path),
          `${method} ${path} ${field}`,
        ).toContain(field);
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});

describe("the document and the answers agree", () => {
  it("documents the shape of every successful answer of the contract's routes", () => {
    for (const [method, path, op] of operations()) {
      if (!CONTRACT_ROUTES.includes(`${method} ${path}`)) continue;
      const success = Object.entries(op.responses).find(([status]) => status.startsWith("2"))![1];
      expect(success.content?.["application/json"]?.schema, `${method} ${path}`).toBeDefined();
    }
  });

  it("answers exactly the documented shape, no field more or less, on the routes agents read", async () => {
    const mail = await receive("email", [from.email("shape@example.com")], { thread: "new", subject: "Shape", externalId: "<shape@x>" });
    const anonymous = await receive("chat", [from.visitor("browser-shape")]);
    const saved = await call("POST", "/api/saved-responses", { as: owner, body: { category: "c", name: "n", body: "Hi {{contact.first_name | there}}" } });
    const reads = [
      "/api/me",
      "/api/conversations?status=all",
      `/api/conversations/${mail.conversation.id}`,
      `/api/conversations/${anonymous.conversation.id}`,
      `/api/conversations/${mail.conversation.id}/messages`,
      "/api/contacts",
      `/api/contacts/${mail.contact!.id}`,
      `/api/contacts/${mail.contact!.id}/conversations`,
      "/api/saved-responses",
      "/api/settings",
      "/api/users",
    ];
    for (const url of reads) {
      const path = url.split("?")[0]!;
      const endpoint = endpoints.find((e) => e.method === "get" && new RegExp(`^${e.path.replace(/:\w+/g, "[^/]+")}$`).test(path))!;
      const res = await call("GET", url, { as: owner });
      expect(res.status, url).toBe(200);
      // zod drops what a schema does not name, so a parse equal to the answer means nothing undocumented was sent.
      expect(endpoint.spec.response!.parse(res.json), url).toEqual(res.json);
    }
    const rendered = await call("POST", `/api/saved-responses/${saved.json.id}/render`, { as: owner, body: { conversationId: anonymous.conversation.id } });
    expect(rendered.json).toEqual({ body: "Hi there" });
  });
});
