// Drives a session through the SDK against a real server, for SdkIT (app): prints one JSON object of what it saw.
// LATHE_DIR: the project; SDK_PROXY_URL and SDK_TOKEN: a relay in front of the server that cuts the first event
// stream after its first event, so the turn is followed across a reconnect (Last-Event-ID).
import { LatheClient, LatheError, NotFoundError, type LatheEvent } from "../src/index.js";

const directory = process.env.LATHE_DIR!;
const lathe = await LatheClient.connect({ directory }); // server.json of XDG_STATE_HOME
const relayed = new LatheClient({ url: process.env.SDK_PROXY_URL!, token: process.env.SDK_TOKEN!, directory });

const health = await lathe.health();
const session = await lathe.sessionCreate({ directory, title: "sdk" });
const events: LatheEvent[] = [];
let text = "";
const turn = relayed.turn(session.id, "DELEGATE please");
let step = await turn.next();
while (!step.done) {
  const event = step.value;
  events.push(event);
  if (event.type === "message.part.delta") text += event.delta;
  step = await turn.next();
}
const accepted = step.value;
const messages = await lathe.sessionMessages(session.id);
const children = await lathe.sessionChildren(session.id);
let missing: { kind: string; status: number; code: string; message: string; typed: boolean } | undefined;
try {
  await lathe.session("ses_" + "0".repeat(26));
} catch (e) {
  if (e instanceof LatheError) missing = { kind: e.name, status: e.status, code: e.code, message: e.message, typed: e instanceof NotFoundError };
}
const last = events[events.length - 1];
console.log(JSON.stringify({
  healthy: health.healthy,
  session: session.id,
  accepted: accepted?.messageId,
  types: events.map((e) => e.type),
  seqs: events.filter((e) => e.seq > 0).map((e) => e.seq),
  lastStatus: last?.type === "session.status" ? last.status.type : null,
  text,
  messages: messages.map((m) => ({ role: m.info.role, text: m.parts.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("") })),
  children: children.map((c) => ({ parentId: c.session.parentId ?? null, status: c.status })),
  missing,
}));
