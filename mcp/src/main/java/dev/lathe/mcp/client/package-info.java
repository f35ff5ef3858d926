/**
 * What Lathe asks of a connected MCP server, independent of the revision it speaks ({@link
 * dev.lathe.mcp.client.ServerClient}): the SDK's session client for 2025-11-25 ({@link
 * dev.lathe.mcp.client.SdkServerClient}) or Lathe's own stateless client for 2026-07-28 ({@code
 * dev.lathe.mcp.stateless}). Imports the MCP SDK's schema and client only.
 */
package dev.lathe.mcp.client;
