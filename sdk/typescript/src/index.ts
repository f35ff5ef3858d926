// @lathe-agent/sdk: a client of a Lathe server (DESIGN §29). LatheClient has one method per route of the server's
// route table (generated: client.ts, types.ts) and the helpers of Transport (runtime.ts).
export { LatheClient } from "./client.js";
export * from "./runtime.js";
export * from "./types.js";
