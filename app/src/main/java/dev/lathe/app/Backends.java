package dev.lathe.app;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.client.JavaLaunch;
import dev.lathe.client.LatheClientException;
import dev.lathe.client.LocalDaemon;
import dev.lathe.client.ServerDiscovery;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.Version;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.server.LatheServer;
import dev.lathe.server.daemon.EnforcedPolicy;
import dev.lathe.tui.ServerLink;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which server a command talks to (decisions.md §40, §75): the daemon, started when needed ({@code lathe},
 * {@code lathe attach} without a URL, and {@code lathe run} unless it runs standalone: {@link #forRun}); the daemon when
 * one runs, else the core in this process ({@code lathe sessions}, {@code stats}, {@code export}, {@code import}); or
 * the server at an explicit URL ({@code --attach}, {@code lathe attach URL}). A client of the user's own daemon
 * carries this shell's config variables and keys ({@link #shell}).
 */
final class Backends {
    /**
     * The server's JIT, as {@code bin/lathe serve} sets it: C1 only (decision 56), compiling after 30 % of the usual
     * invocation counts (decision 62), so a server that has run a few turns runs them compiled; a code cache reserved
     * large enough that its growth never triggers a full collection (decision 371).
     */
    static final List<String> SERVER_JIT = List.of("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.3", "-XX:ReservedCodeCacheSize=240m");

    /**
     * The server's heap, as {@code bin/lathe serve} sets it: growing from 16 MiB, freed malloc memory handed back every
     * 5 s. Named here so a daemon started by a {@code lathe run} client has it too, not the client's own small heap
     * ({@code -Xms4m}, decision 350 and issue 55) nor the JVM's default of 1/64 of the machine's memory.
     */
    static final List<String> SERVER_HEAP = List.of("-Xms16m", "-XX:TrimNativeHeapInterval=5000");

    private Backends() {}

    static Map<String, String> env() { return System.getenv(); }

    /**
     * The home folder as the server reads it (LathePaths): {@code $HOME}, else the account's. Java's {@code user.home}
     * alone comes from the password database, so with {@code HOME} set elsewhere the client would wait for a
     * {@code server.json} the server never writes there.
     */
    static Path home() {
        String home = env().get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /**
     * This shell's config variables and keys, sent to the user's own daemon with each session created or prompted, so
     * its turns use them whoever started the daemon (decision "config that is always current"); never to a server at
     * an explicit URL.
     */
    static ClientEnvironment shell() { return ClientEnvironment.of(env()); }

    /**
     * The user's daemon, started as {@code lathe serve --daemon} from this very build, with what {@code bin/lathe serve}
     * gives the server: its JIT and heap options ({@link #SERVER_JIT}, {@link #SERVER_HEAP}) and the server's AOT cache when one was recorded beside
     * this process's.
     */
    static LocalDaemon daemon() {
        // built when a daemon is started, not by every client of one that runs (issue 70: off the first request's path)
        return LocalDaemon.of(env(), home(), () -> JavaLaunch.ofThisProcess(daemonOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()),
                Main.class.getName(), List.of("serve", "--daemon")));
    }

    /** The daemon's own JVM options, after the ones it inherits from this process (so they win). */
    static List<String> daemonOptions(List<String> thisProcessOptions) {
        var own = new ArrayList<>(SERVER_JIT);
        own.addAll(SERVER_HEAP);
        ServeCache.beside(thisProcessOptions).ifPresent(c -> own.add("-XX:AOTCache=" + c));
        return List.copyOf(own);
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
     * The server of {@code lathe run} (DESIGN §3): the daemon, started when none runs; the core in this process (no port,
     * nothing left behind) with {@code --standalone}, when {@link CiVariable the CI variable} is set, or when the daemon
     * cannot be started — then one line on {@code err} says why.
     *
     * @throws LatheServer.StartupException when the in-process core cannot open (bad config, database)
     */
    static RunBackend forRun(String directory, RunPlace place, PrintStream err) {
        if (place == RunPlace.IN_PROCESS || CiVariable.isSet(env())) return new RunBackend(LatheServer.embedded(env()), RunPlace.IN_PROCESS);
        try {
            // the file alone (no health request): which daemon ran before, so one this run starts is known as its own
            Optional<Long> before = ServerDiscovery.read(ServerDiscovery.defaultPath(env(), home())).map(e -> e.pid())
                    .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            Connected connected = startedDaemon(directory, err);
            long pid = ServerDiscovery.read(ServerDiscovery.defaultPath(env(), home())).map(e -> e.pid()).orElse(-1L);
            return new RunBackend(connected.api(), before.isEmpty() || before.get() != pid ? RunPlace.DAEMON_STARTED_HERE : RunPlace.DAEMON);
        } catch (LatheClientException e) {
            // opened before anything is said: a broken config fails here too, and its own error is then the one line the
            // user reads (issue 53: "could not start the background server" came first, the real error second)
            LatheServer.checkGlobalConfig(env());
            LatheApi inProcess = LatheServer.embedded(env());
            err.println("lathe: could not start the background server, so this run is in this process: " + e.getMessage().lines().findFirst().orElse(""));
            return new RunBackend(inProcess, RunPlace.IN_PROCESS);
        }
    }

    /**
     * The server of {@code lathe run --local-only} (decision 120): the core in this process, its environment saying
     * {@code LATHE_NETWORK=local}. Not the daemon: a shared server runs other clients' sessions and its own catalog
     * refresh, so only a process of its own can promise that nothing in it connects anywhere else.
     *
     * @throws LatheServer.StartupException when the in-process core cannot open (bad config, database)
     */
    static RunBackend localOnly() {
        var local = new java.util.HashMap<>(env());
        local.put("LATHE_NETWORK", "local");
        return new RunBackend(LatheServer.embedded(Map.copyOf(local)), RunPlace.IN_PROCESS);
    }

    /** Where a run's turn runs. */
    enum RunPlace {
        /** In the user's daemon: the turn outlives this process (a closed terminal does not stop it). */
        DAEMON,
        /** In the user's daemon, which this run started: stopped again when the run fails before its session began. */
        DAEMON_STARTED_HERE,
        /** In this process: the turn ends with it. */
        IN_PROCESS
    }

    /** The api a run talks to and where its turn runs. */
    record RunBackend(LatheApi api, RunPlace place) {}

    /**
     * Stops the daemon {@code backend} started, for a run that failed before its session began (a broken project config,
     * an unknown session): nothing in it is anyone's, and a server the user never used should not outlive the error
     * (issue 53). A daemon that ran before, or one a session began in, stays (DESIGN §3: the next run is warm).
     */
    static void stopIfStartedInVain(RunBackend backend) {
        if (backend.place() != RunPlace.DAEMON_STARTED_HERE) return;
        try {
            daemon().release(java.time.Duration.ofSeconds(5));
        } catch (LatheClientException e) {
            // left to its idle timeout, as before
        }
    }

    /**
     * The daemon, started first when none runs; notes a version different from this build's on {@code err}.
     *
     * @throws dev.lathe.client.LatheClientException when it could not be started
     */
    static Connected startedDaemon(String directory, PrintStream err) {
        ServerEndpoint endpoint = daemon().findOrStart(err::println);
        // a shell naming another managed policy than the daemon enforces does not use it (decision 552): its work would
        // meet a policy it does not expect, and a client never changes a running server's
        Optional<String> other = EnforcedPolicy.mismatch(env(), endpoint.managed(), endpoint.pid());
        if (other.isPresent()) throw new UsageError(other.get() + "; " + EnforcedPolicy.fix(env()));
        if (!endpoint.version().equals(Version.current())) {
            err.println("lathe: note: the running server is version " + endpoint.version() + ", this is " + Version.current()
                    + "; `lathe stop` and start again to use this one");
        }
        // a user's token given in LATHE_SERVER_TOKEN is never swapped for the node's own (admin) token of server.json:
        // the session must be the user's, as with --attach
        String token = ServerDiscovery.tokenFor(endpoint.uri(), ServerDiscovery.defaultPath(env(), home()), env()).orElse(endpoint.token());
        return new Connected(HttpLatheClient.connect(endpoint.uri(), token, Optional.of(directory)).withEnvironment(shell()), endpoint.uri());
    }

    /**
     * The server at {@code url}, with {@code LATHE_SERVER_TOKEN} when it is set (even for this machine's node: the user's
     * token is never swapped for the node's admin one), else the token of the local server.json when it describes that
     * server.
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

    /**
     * How the terminal UI reaches a server again after losing it: the server at {@code url} again, or without one the
     * daemon, started again when none runs (as {@code lathe} does on start; its version note goes nowhere, the UI has
     * the screen).
     */
    static ServerLink link(Optional<URI> url, String directory) {
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        return new ServerLink() {
            @Override
            public ServerLink.Connection reconnect() {
                // `lathe stop` is the user's word: the daemon is not started again until they ask (issue 42)
                if (url.isEmpty() && daemon().find().isEmpty() && daemon().stoppedOnPurpose()) {
                    throw new ServerLink.StoppedOnPurpose("stopped with lathe stop");
                }
                return restart();
            }

            @Override
            public ServerLink.Connection restart() {
                return connection(url.isPresent() ? remote(url.get(), directory) : startedDaemon(directory, quiet));
            }
        };
    }

    /** The terminal UI's view of a connection: the client, its address, and a probe ({@code GET /health}). */
    static ServerLink.Connection connection(Connected connected) {
        HttpLatheClient api = connected.api();
        return new ServerLink.Connection(api, connected.url().toString(), api::health);
    }

    /** A client and the server's address, for messages. */
    record Connected(HttpLatheClient api, URI url) {}
}
