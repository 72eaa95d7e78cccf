// What both Durable Objects do with their sockets, in one place.

/** The answer to anything but a WebSocket upgrade, or null for an upgrade. */
export function refuseNonUpgrade(request: Request): Response | null {
  if (request.headers.get("upgrade")?.toLowerCase() === "websocket") return null;
  return new Response("Expected a WebSocket upgrade.", { status: 426 });
}

/** Completes the close handshake; a socket already gone is fine. */
export function closeQuietly(ws: WebSocket, code: number, reason: string) {
  try {
    ws.close(code, reason);
  } catch {
    // already closed
  }
}

export function send(ws: WebSocket, frame: object) {
  sendText(ws, JSON.stringify(frame));
}

export function sendAll(sockets: WebSocket[], ...frames: object[]) {
  if (sockets.length === 0) return;
  const texts = frames.map((frame) => JSON.stringify(frame));
  for (const ws of sockets) for (const text of texts) sendText(ws, text);
}

/** Nothing throws out of a broadcast: a socket that cannot take a frame is closed, and its client resyncs on reconnect. */
function sendText(ws: WebSocket, text: string) {
  try {
    ws.send(text);
  } catch {
    closeQuietly(ws, 1011, "send failed");
  }
}
