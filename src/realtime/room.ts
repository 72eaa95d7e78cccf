// One conversation's live room: the visitor's widget socket and the agents watching it.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import type { RoomEvent } from "./protocol";

export class ConversationRoom extends DurableObject<Env> {
  async publish(event: RoomEvent): Promise<void> {
    const frame = JSON.stringify(event);
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(frame);
      } catch {
        socket.close(1011, "send failed");
      }
    }
  }
}
