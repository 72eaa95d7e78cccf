// PBKDF2-SHA256 through WebCrypto. 100,000 iterations is the most the Workers runtime allows.
import { toHex } from "./ids";

const ITERATIONS = 100_000;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2-sha256$${ITERATIONS}$${toHex(salt)}$${toHex(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, saltHex, hashHex] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iterations || !saltHex || !hashHex) return false;
  const hash = await derive(password, fromHex(saltHex), Number(iterations));
  return timingSafeEqual(toHex(hash), hashHex);
}

/** A well-formed hash no password matches: checked against when there is no account, so that costs the same. */
const NO_ACCOUNT = `pbkdf2-sha256$${ITERATIONS}$${"00".repeat(16)}$${"00".repeat(32)}`;

/** Checks a password against an account's hash, or does the same work and refuses when there is no account to check. */
export async function verifyPasswordOf(password: string, stored: string | undefined): Promise<boolean> {
  const valid = await verifyPassword(password, stored ?? NO_ACCOUNT);
  return stored !== undefined && valid;
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(hex.match(/../g)?.map((byte) => parseInt(byte, 16)) ?? []);
}

/** Compares two strings without revealing where they differ through timing. */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  if (left.length !== right.length) return false;
  return crypto.subtle.timingSafeEqual(left, right);
}
