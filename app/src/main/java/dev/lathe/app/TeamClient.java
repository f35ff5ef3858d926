package dev.lathe.app;

import dev.lathe.client.ServerDiscovery;
import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The team server's account routes as {@code lathe user} and {@code lathe sessions} call them (DESIGN §20 "Users"):
 * the node of this machine's {@code server.json} with its token (the local admin), or {@code --attach URL} with
 * {@code LATHE_SERVER_TOKEN}. A refusal is the server's message, printed as the user's to fix.
 */
final class TeamClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI url;
    private final String token;

    private TeamClient(URI url, String token) {
        this.url = url;
        this.token = token;
    }

    /** A refusal or failure the server answered with its {@code {error:{message}}}. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** @throws UsageError when no server runs here and none is named */
    static TeamClient of(Optional<URI> attach) {
        Path serverJson = ServerDiscovery.defaultPath(Backends.env(), Backends.home());
        if (attach.isPresent()) {
            String token = ServerDiscovery.tokenFor(attach.get(), serverJson, Backends.env()).orElseThrow(() -> new UsageError(
                    "no token for " + attach.get() + ": set LATHE_SERVER_TOKEN to an admin's token of that server"));
            return new TeamClient(attach.get(), token);
        }
        var endpoint = ServerDiscovery.find(serverJson).orElseThrow(() -> new UsageError(
                "no Lathe server runs here: start the team node (lathe serve --store postgresql://…) or name one with --attach URL"));
        return new TeamClient(endpoint.uri(), endpoint.token());
    }

    /** The server of this machine's server.json, when one runs. */
    static Optional<TeamClient> local() {
        return ServerDiscovery.find(ServerDiscovery.defaultPath(Backends.env(), Backends.home())).map(e -> new TeamClient(e.uri(), e.token()));
    }

    /** Calls {@code route} with the values of its path parameters, without a body. */
    JsonNode call(ApiRoute route, String... values) { return send(route, route.path(values), null); }

    /** Calls {@code route} with a JSON body and the values of its path parameters. */
    JsonNode callWith(String json, ApiRoute route, String... values) { return send(route, route.path(values), json); }

    /** Session id → owner, as {@code GET /owners} lists them; empty from a server without accounts or an older one. */
    Map<String, String> owners() {
        var out = new TreeMap<String, String>();
        try {
            call(ApiRoute.OWNERS).properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        } catch (Refused e) {
            return out;
        }
        return out;
    }

    private JsonNode send(ApiRoute route, String path, String json) {
        var request = HttpRequest.newBuilder(url.resolve(path)).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
        if (json != null) request.header("Content-Type", "application/json");
        request.method(route.method(), json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        try (var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build()) {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? WireJson.mapper().createObjectNode() : WireJson.mapper().readTree(response.body());
            if (response.statusCode() >= 400) {
                JsonNode message = body.path("error").path("message");
                throw new Refused(response.statusCode(), message.isString() ? message.asString() : "HTTP " + response.statusCode());
            }
            return body;
        } catch (IOException e) {
            throw new Refused(0, "cannot reach " + url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(0, "interrupted");
        }
    }
}
