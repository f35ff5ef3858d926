/**
 * JSON-RPC 2.0, one message per line, over a pair of streams, in both directions at once: the framing the Agent
 * Client Protocol runs on. {@link dev.lathe.jsonrpc.JsonRpcPeer} is either end (an editor's agent, or Lathe driving an
 * external agent); what the methods mean is the caller's business. Imports nothing internal; JSON stays here and in
 * the adapters that use it.
 */
package dev.lathe.jsonrpc;
