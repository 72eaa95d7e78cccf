// The email channel: inbound mail through the Worker's email() handler, replies through the
// send_email binding. The parts live in ./email/: reading mail, forwards, threading, outbound.
export { receiveEmail, storeInboundMail, MAX_MAIL_BYTES } from "./email/inbound";
export { emailAdapter } from "./email/outbound";
