/**
 * The HTTP + SSE face of a {@link dev.lathe.protocol.api.LatheApi} (DESIGN §6) ({@link dev.lathe.server.http.HttpApiServer}):
 * connections read by Lathe itself within bounded head and body sizes and times ({@code HttpListener},
 * {@code ClientConnection}; decisions §84) and handed to routes as the JDK's {@code com.sun.net.httpserver.HttpExchange},
 * routing, the Host/Origin/token guards,
 * JSON bodies through {@link dev.lathe.protocol.wire.WireJson}, error mapping to
 * {@link dev.lathe.protocol.api.ErrorBody} (the only place a {@link dev.lathe.protocol.api.LatheException} case meets
 * an HTTP status: {@code ErrorStatus}), request-body shape checks (fields present, not null, not blank: checked here
 * once, the core checks meaning), the {@code /events} stream, the OpenAPI document and the web login. Owns no state
 * beyond open connections and the web login's codes and cookies.
 *
 * <p>May import {@code dev.lathe.protocol.*}, the JDK and Jackson (only for reading request trees and the
 * event type names). Never imports {@code dev.lathe.core}: the composition root hands it a {@code LatheApi}.
 */
package dev.lathe.server.http;
