/**
 * Server wiring: {@link dev.lathe.server.LatheServer} builds the in-process API (for {@code lathe run}) and the
 * running HTTP server (for {@code lathe serve}) from the core; {@code server.local} gives the command line the
 * commands that need no server. Imports core, protocol and the server's own packages — not llm (DESIGN §2).
 */
package dev.lathe.server;
