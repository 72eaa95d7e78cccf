import type { z } from "zod";
import { badRequest } from "../errors";

/** Parses `input` with `schema`; a mismatch is a 400 naming each field and why. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
    code: issue.code,
  }));
  const first = issues[0];
  const where = first?.path ? `${first.path}: ` : "";
  throw badRequest("invalid_input", `Invalid ${what}. ${where}${first?.message ?? ""}`.trim(), issues);
}
