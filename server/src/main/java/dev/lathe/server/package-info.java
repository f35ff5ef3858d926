/**
 * Server wiring: {@link dev.lathe.server.LatheServer} builds the in-process API (for {@code lathe run}) and the
 * running HTTP server (for {@code lathe serve}) from the core. Imports core, protocol and the server's own packages.
 */
package dev.lathe.server;
