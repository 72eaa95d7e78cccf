import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An answer the caller caused: rendered as the contract's `{error: {code, message, details?}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new ApiError(400, code, message, details);
export const unauthorized = (message = "Sign in to continue.") => new ApiError(401, "unauthorized", message);
export const forbidden = (message = "Only admins can do this.") => new ApiError(403, "forbidden", message);
export const notFound = (what: string) => new ApiError(404, "not_found", `${what} was not found.`);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);
export const tooLarge = (message: string) => new ApiError(413, "too_large", message);
export const rateLimited = (message: string) => new ApiError(429, "rate_limited", message);

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
