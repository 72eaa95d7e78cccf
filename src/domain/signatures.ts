// Signatures other systems put on what they send us (a host page's identify hash, Meta's and
// Twilio's webhook signatures), checked one way: the platform's HMAC verify, which compares in
// constant time.

/** Hex as bytes; null for anything that is not an even run of hex digits. */
export function fromHex(hex: string): Uint8Array | null {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return null;
  return new Uint8Array(hex.match(/../g)!.map((pair) => parseInt(pair, 16)));
}

/** Base64 as bytes; null for anything that is not base64. */
export function fromBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

const DIGEST_BYTES = { "SHA-1": 20, "SHA-256": 32 } as const;
export type HmacHash = keyof typeof DIGEST_BYTES;

/** Whether `signature` is the HMAC of `data` under `secret`. */
export async function hmacVerifies(hash: HmacHash, secret: string, data: BufferSource | string, signature: Uint8Array | null): Promise<boolean> {
  if (!secret || !signature || signature.length !== DIGEST_BYTES[hash]) return false;
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash }, false, ["verify"]);
  return crypto.subtle.verify("HMAC", key, signature, typeof data === "string" ? encoder.encode(data) : data);
}
