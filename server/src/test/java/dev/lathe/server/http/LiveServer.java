package dev.lathe.server.http;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.core.LatheCore;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.testkit.FakeLlm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The real core (SQLite file, sessions, tools) behind the real HTTP server on loopback, talking to a FakeLlm. */
final class LiveServer implements AutoCloseable {
    final FakeLlm llm = FakeLlm.start();
    final Path project;
    final Map<String, String> env = new HashMap<>();
    final LatheCore core;
    final HttpApiServer http;
    final String token = BearerToken.generate();

    LiveServer(Path tmp) throws Exception {
        this(tmp, "");
    }

    /** @param extraConfig more top-level members of lathe.json, starting with a comma */
    LiveServer(Path tmp, String extraConfig) throws Exception {
        this(tmp, extraConfig, false);
    }

    /** {@code team}: with the team server's accounts over the store's tables (here SQLite's, the same JDBC store as PostgreSQL's). */
    LiveServer(Path tmp, String extraConfig, boolean team) throws Exception {
        this(tmp, extraConfig, team, ServerOptions.DEFAULT_STALL_TIMEOUT);
    }

    /** {@code stallTimeout}: how long an event stream's reader may leave its buffer full before it is dropped. */
    LiveServer(Path tmp, String extraConfig, boolean team, Duration stallTimeout) throws Exception {
        this(tmp, extraConfig, team, stallTimeout, "sk-live-test", Map.of());
    }

    /** With the fake provider's key {@code apiKey} and {@code extraEnv} in the server's environment. */
    LiveServer(Path tmp, String extraConfig, String apiKey, Map<String, String> extraEnv) throws Exception {
        this(tmp, extraConfig, false, ServerOptions.DEFAULT_STALL_TIMEOUT, apiKey, extraEnv);
    }

    private LiveServer(Path tmp, String extraConfig, boolean team, Duration stallTimeout, String apiKey, Map<String, String> extraEnv) throws Exception {
        project = Files.createDirectories(tmp.resolve("project"));
        env.putAll(extraEnv);
        env.put("HOME", tmp.toString());
        env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
        env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        env.put("XDG_STATE_HOME", tmp.resolve("state").toString());
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        env.put("LATHE_DISABLE_MODELS_FETCH", "1");
        env.put("LATHE_CONFIG_CONTENT", "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \""
                + llm.baseUrl() + "\", \"apiKey\": \"" + apiKey + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}" + extraConfig + "}");
        var paths = LathePaths.fromEnvironment(env);
        core = LatheCore.open(paths, env, ConfigLoader.standard(paths, env));
        var users = team ? Optional.of(new dev.lathe.server.users.Users(core.accounts(), java.time.Clock.systemUTC())) : Optional.<dev.lathe.server.users.Users>empty();
        http = HttpApiServer.start(core.api(), ServerOptions.of(token, "test").withNode("node_test", "postgresql").withStallTimeout(stallTimeout), Optional.empty(), users,
                core.audit()::ignoredEnvironment);
    }

    /** The folders this server uses (its data folder holds the MCP sign-ins). */
    LathePaths paths() { return LathePaths.fromEnvironment(env); }

    /** A new client for the project folder, as a separate program would open one. */
    HttpLatheClient client() {
        return HttpLatheClient.connect(http.url(), token, Optional.of(project.toString()));
    }

    Session session(HttpLatheClient client) {
        return client.createSession(CreateSessionRequest.in(project.toString()));
    }

    void awaitIdle(HttpLatheClient client, SessionId id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(client.status(id) instanceof SessionStatus.Idle)) {
            if (System.nanoTime() > deadline) throw new AssertionError("session " + id + " did not become idle");
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        http.close();
        core.close();
        llm.close();
    }
}
