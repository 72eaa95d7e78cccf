// Time-ordered ids: sorting by id is sorting by creation, which keyset pagination relies on.
let lastTime = 0;
let sequence = 0;

export function newId(now = Date.now()): string {
  if (now === lastTime) sequence++;
  else {
    lastTime = now;
    sequence = 0;
  }
  const time = now.toString(36).padStart(9, "0");
  const seq = sequence.toString(36).padStart(3, "0");
  return time + seq + randomToken(6);
}

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** An unguessable token: `bytes` random bytes, in base 36. */
export function randomToken(bytes = 24): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(raw, (b) => ALPHABET[b % 36]).join("");
}

export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return toHex(new Uint8Array(digest));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
