/**
 * The Java client of the Lathe HTTP API: {@link dev.lathe.client.HttpLatheClient} implements
 * {@link dev.lathe.protocol.api.LatheApi} over HTTP + SSE (with {@code Last-Event-ID} resume), mapping error answers
 * back to the {@link dev.lathe.protocol.api.LatheException} cases the server mapped them from; and
 * {@link dev.lathe.client.ServerDiscovery} finds a running server through its {@code server.json};
 * {@link dev.lathe.client.LocalDaemon} starts the per-user daemon when none runs (with the command
 * {@link dev.lathe.client.JavaLaunch} builds from this process) and stops it.
 *
 * <p>May import {@code dev.lathe.protocol.*}, the JDK and Jackson (bodies, {@code server.json}); never the core or the
 * server. A plain-HTTP server is reached over a bare socket, an {@code https} one through {@code java.net.http} (see
 * {@link dev.lathe.client.HttpTransport}).
 */
package dev.lathe.client;
