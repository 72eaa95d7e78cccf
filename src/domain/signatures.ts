// Signatures other systems put on what they send us (a host page's identify hash, Meta's webhook
// signature), checked one way: the platform's HMAC verify, which compares in constant time.

/** Hex as bytes; null for anything that is not an even run of hex digits. */
export function fromHex(hex: string): Uint8Array | null {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return null;
  return new Uint8Array(hex.match(/../g)!.map((pair) => parseInt(pair, 16)));
}

/** Whether `signature` is the HMAC-SHA256 of `data` under `secret`. */
export async function hmacSha256Verifies(secret: string, data: BufferSource | string, signature: Uint8Array | null): Promise<boolean> {
  if (!secret || !signature || signature.length !== 32) return false;
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  return crypto.subtle.verify("HMAC", key, signature, typeof data === "string" ? encoder.encode(data) : data);
}
