/**
 * {@code lathe acp}: Lathe as an Agent Client Protocol (v1) agent on stdio, for editors. It is a client of the daemon
 * like the terminal UI: every ACP session is a Lathe session (the ACP {@code sessionId} is the Lathe session id) that
 * the other clients see live. {@link dev.lathe.acp.AcpAgent} answers the editor's requests; the other classes map one
 * concept each between ACP's JSON and Lathe's records (tool calls, diffs, prompt content, history, permission asks,
 * modes and options). Imports protocol and jsonrpc; never core (DESIGN §2).
 */
package dev.lathe.acp;
