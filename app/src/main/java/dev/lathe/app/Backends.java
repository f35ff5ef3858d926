package dev.lathe.app;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.client.JavaLaunch;
import dev.lathe.client.LocalDaemon;
import dev.lathe.client.ServerDiscovery;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.Version;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.server.LatheServer;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which server a command talks to (decisions.md §40): the daemon, started when needed ({@code lathe},
 * {@code lathe attach} without a URL); the daemon when one runs, else the core in this process ({@code lathe run},
 * {@code lathe sessions}, {@code stats}, {@code export}, {@code import}); or the server at an explicit URL ({@code --attach},
 * {@code lathe attach URL}). A client of the user's own daemon carries this shell's config variables and keys
 * ({@link #shell}).
 */
final class Backends {
    /**
     * The server's JIT, as {@code bin/lathe serve} sets it: C1 only (decision 56), compiling after 30 % of the usual
     * invocation counts (decision 62), so a server that has run a few turns runs them compiled.
     */
    static final List<String> SERVER_JIT = List.of("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.3");

    private Backends() {}

    static Map<String, String> env() { return System.getenv(); }

    static Path home() { return Path.of(System.getProperty("user.home")); }

    /**
     * This shell's config variables and keys, sent to the user's own daemon with each session created or prompted, so
     * its turns use them whoever started the daemon (decision "config that is always current"); never to a server at
     * an explicit URL.
     */
    static ClientEnvironment shell() { return ClientEnvironment.of(env()); }

    /**
     * The user's daemon, started as {@code lathe serve --daemon} from this very build, with what {@code bin/lathe serve}
     * gives the server: its JIT options ({@link #SERVER_JIT}) and the server's AOT cache when one was recorded beside
     * this process's.
     */
    static LocalDaemon daemon() {
        var own = new ArrayList<>(SERVER_JIT);
        ServeCache.beside(ManagementFactory.getRuntimeMXBean().getInputArguments()).ifPresent(c -> own.add("-XX:AOTCache=" + c));
        return LocalDaemon.of(env(), home(), JavaLaunch.ofThisProcess(own, Main.class.getName(), List.of("serve", "--daemon")));
    }

    /**
     * The running daemon, or the core opened in this process (no port, no daemon start).
     *
     * @throws LatheServer.StartupException when the in-process core cannot open (bad config, database)
     */
    static LatheApi runningOrInProcess(String directory) {
        Path serverJson = ServerDiscovery.defaultPath(env(), home());
        return ServerDiscovery.find(serverJson)
                .<LatheApi>map(d -> HttpLatheClient.connect(d, Optional.of(directory)).withEnvironment(shell()))
                .orElseGet(() -> LatheServer.embedded(env()));
    }

    /**
     * The daemon, started first when none runs; notes a version different from this build's on {@code err}.
     *
     * @throws dev.lathe.client.LatheClientException when it could not be started
     */
    static Connected startedDaemon(String directory, PrintStream err) {
        ServerEndpoint endpoint = daemon().findOrStart();
        if (!endpoint.version().equals(Version.current())) {
            err.println("lathe: note: the running server is version " + endpoint.version() + ", this is " + Version.current()
                    + "; `lathe stop` and start again to use this one");
        }
        return new Connected(HttpLatheClient.connect(endpoint, Optional.of(directory)).withEnvironment(shell()), endpoint.uri());
    }

    /**
     * The server at {@code url}, with the token of the local server.json when it describes that server, else
     * {@code LATHE_SERVER_TOKEN}.
     *
     * @throws UsageError when there is no token for it
     */
    static Connected remote(URI url, String directory) {
        Path serverJson = ServerDiscovery.defaultPath(env(), home());
        String token = ServerDiscovery.tokenFor(url, serverJson, env()).orElseThrow(() -> new UsageError(
                "no token for " + url + ": it is not the server of " + serverJson + "; set LATHE_SERVER_TOKEN to the token in that server's server.json"));
        try {
            return new Connected(HttpLatheClient.connect(url, token, Optional.of(directory)), url);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    /** A client and the server's address, for messages. */
    record Connected(HttpLatheClient api, URI url) {}
}
