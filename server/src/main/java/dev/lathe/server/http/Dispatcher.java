package dev.lathe.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.lathe.core.store.StoreException;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.server.users.User;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;

/**
 * The single {@link HttpHandler}: guards, routing, and the mapping of failures to {@code {error:{code,message}}}.
 * A {@link LatheException} answers the status {@link ErrorStatus} maps its case to, with its code and message; an
 * {@link HttpRefusal} its own; anything else is logged here and answered with a generic 500,
 * so no stack trace or internal detail reaches a client.
 */
final class Dispatcher implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    private final Router router;
    private final RequestGuard guard;
    private final long maxBodyBytes;
    private final WebLogin login;
    private final WebAssets assets;
    private final Callers callers;
    private final Optional<SessionAccess> access;
    private final ClientEnvironments environments;

    /**
     * {@code access}: who may change what, on a team server; without one the one user may do everything.
     * {@code environments}: whose client environment a route honours.
     */
    Dispatcher(Router router, RequestGuard guard, WebLogin login, WebAssets assets, long maxBodyBytes, Callers callers,
            Optional<SessionAccess> access, ClientEnvironments environments) {
        this.router = router;
        this.guard = guard;
        this.login = login;
        this.assets = assets;
        this.maxBodyBytes = maxBodyBytes;
        this.callers = callers;
        this.access = access;
        this.environments = environments;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        var call = new Call(exchange, Map.of(), maxBodyBytes, Optional.empty(), ClientEnvironment.NONE);
        try {
            var headers = exchange.getRequestHeaders();
            guard.checkHost(Optional.ofNullable(headers.getFirst("Host")));
            guard.checkOrigin(Optional.ofNullable(headers.getFirst("Origin")));
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            if (assets.serve(exchange, path)) return;  // the web UI's files: public, they hold no data
            Optional<String> loginUser = login.accepts(Optional.ofNullable(headers.getFirst("Cookie")), webKey(exchange));
            Optional<String> authorization = Optional.ofNullable(headers.getFirst("Authorization"));
            Router.Match match;
            try {
                match = router.match(method, path);
            } catch (LatheException | Router.MethodNotAllowed e) {
                // no route map for strangers; a logged-in browser learns the path is wrong, not that it is logged out
                if (loginUser.isEmpty()) callers.byHeader(authorization);
                throw e;
            }
            Optional<User> caller = Optional.empty();
            if (match.route().rights().needsCredential()) {
                caller = Optional.of(loginUser.isPresent() ? callers.byLogin(loginUser.get()) : callers.byHeader(authorization));
            }
            call = new Call(exchange, match.params(), maxBodyBytes, caller, ClientEnvironment.NONE);
            // the one place a route's rights are enforced, before its handler sees the request (DESIGN §24)
            if (caller.isPresent() && access.isPresent()) access.get().check(match.route().rights(), caller.get(), call);
            // and the one place a client environment is taken: the node's own user's only (DESIGN §26)
            call = new Call(exchange, match.params(), maxBodyBytes, caller, environments.of(match.route().api(), caller, call));
            match.route().handler().handle(call);
        } catch (LatheException e) {
            respond(call, ErrorStatus.of(e), e.code(), e.getMessage());
        } catch (HttpRefusal e) {
            respond(call, e.status(), e.code(), e.getMessage());
        } catch (Router.MethodNotAllowed e) {
            exchange.getResponseHeaders().set("Allow", e.allow());
            respond(call, 405, "method_not_allowed", e.getMessage());
        } catch (IOException e) {
            throw e;  // the connection broke: the HTTP server closes it
        } catch (StoreException.DiskFull e) {
            // not "internal": the user can act on it, and the server goes on answering (DESIGN §4, issue 25)
            LOG.log(Level.WARNING, "request " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + ": " + e.getMessage());
            var refusal = ErrorStatus.diskFull(e);
            respond(call, ErrorStatus.of(refusal), refusal.code(), refusal.getMessage());
        } catch (StoreException.Unreachable e) {
            // a team server's database is away (restarting, the network): clients are told so, and may try again
            LOG.log(Level.WARNING, "request " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + ": " + e.getMessage());
            var refusal = ErrorStatus.storeUnreachable(e);
            respond(call, ErrorStatus.of(refusal), refusal.code(), refusal.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "request " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " failed", e);
            respond(call, 500, "internal", "internal server error; details are in the server log");
        } finally {
            exchange.close();
        }
    }

    /** The web login's key: the page's header, or {@code ?key=} where a header cannot be set ({@code EventSource}). */
    private static Optional<String> webKey(HttpExchange exchange) {
        Optional<String> header = Optional.ofNullable(exchange.getRequestHeaders().getFirst(WebLogin.KEY_HEADER));
        if (header.isPresent()) return header;
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) return Optional.empty();
        for (String pair : query.split("&")) {
            if (pair.startsWith("key=")) return Optional.of(Percent.decode(pair.substring(4))).filter(k -> !k.isEmpty());
        }
        return Optional.empty();
    }

    private static void respond(Call call, int status, String code, String message) throws IOException {
        if (call.responded()) {
            // Too late for a status line: end the connection instead of corrupting the response.
            throw new IOException("failed after the response started: " + code + ": " + message);
        }
        call.error(status, code, message);
    }
}
