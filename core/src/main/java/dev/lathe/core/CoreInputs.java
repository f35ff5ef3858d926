package dev.lathe.core;

import dev.lathe.core.cluster.TeamNode;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.hooks.HookRunLog;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.session.Sessions;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.http.BackgroundHttpClient;
import dev.lathe.llm.http.DeferredTrust;
import dev.lathe.protocol.Version;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.builtin.BackgroundProcesses;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the composition root ({@link CoreBuilder}) is built from: each input has its production default ({@link #of})
 * and a {@code with…} that overrides it, so production and tests build the same graph and differ only in what they
 * say here (pi's root with overridable defaults, issue 54). Nothing is built or read until a stage asks.
 *
 * Three groups, each a named port: {@link Ground} (where this Lathe runs), {@link Remote} (what it reaches over the
 * network) and {@link Running} (what its sessions run with); the accessors below read through them.
 */
public record CoreInputs(Ground ground, Remote remote, Running running) {
    /**
     * Where this Lathe runs.
     *
     * @param paths Lathe's folders (data, state, config, cache)
     * @param env the process environment as the caller read it: config layers, XDG folders and child processes take it
     *     from here, never from {@code System.getenv()}
     * @param loader how configuration files are read
     * @param store a team server's PostgreSQL store URL (DESIGN §20); empty: the data folder's SQLite file
     * @param node who this node is on a team server's store (unused without {@code store})
     */
    public record Ground(LathePaths paths, Map<String, String> env, ConfigLoader loader, Optional<String> store, TeamNode node) {
        public Ground {
            env = Map.copyOf(env);
        }
    }

    /**
     * What this Lathe reaches over the network.
     *
     * @param http the HTTP client providers, hooks and the catalog use (made first: its TLS set-up runs beside the rest)
     * @param protocols the wire protocols over that client
     * @param catalog the model catalog over that client, told whether a refresh may download from a URL now
     */
    public record Remote(HttpChoice http, ProtocolChoice protocols, CatalogChoice catalog) {}

    /**
     * What its sessions run with.
     *
     * @param tools the built-in tools offered to every step
     * @param maxSteps the step limit of a turn when its agent sets none
     * @param seams what the tool-call pipeline starts from; the root adds the audit log and the diagnostics unless these
     *     set their own, and the tool hooks after these' hooks
     * @param hookRuns where hook runs are recorded; empty: a part of the running turn and an audit entry
     *     ({@code HookRunRecorder})
     * @param version the Lathe version written into hook transcripts
     * @param background the adapter of the commands sessions run in the background (killed when the core closes)
     * @param clock what time it is for the schedules (DESIGN §18): a test moves it instead of waiting for a minute to pass
     */
    public record Running(ToolRegistry tools, int maxSteps, ToolCallSeams seams, Optional<HookRunLog> hookRuns, String version,
            BackgroundChoice background, Clock clock) {}

    /** The HTTP client, made once when the root's first stage starts. */
    @FunctionalInterface
    public interface HttpChoice {
        HttpClient open();
    }

    /** The wire protocols over the HTTP client. */
    @FunctionalInterface
    public interface ProtocolChoice {
        Protocols over(HttpClient http);
    }

    /** The adapter of the background commands, made once when the root's first stage starts. */
    @FunctionalInterface
    public interface BackgroundChoice {
        BackgroundProcesses start();
    }

    /** The catalog of models the providers are looked up in. */
    @FunctionalInterface
    public interface CatalogChoice {
        CatalogSource open(LathePaths paths, Map<String, String> env, HttpClient http, Predicate<URI> mayRefresh);
    }

    /** The production inputs of a Lathe over {@code paths}, {@code env} and {@code loader}: a one-process SQLite core. */
    public static CoreInputs of(LathePaths paths, Map<String, String> env, ConfigLoader loader) {
        return new CoreInputs(new Ground(paths, env, loader, Optional.empty(), TeamNode.random()),
                new Remote(CoreInputs::standardHttp, Protocols::standard, (p, e, http, may) -> CatalogSource.start(p.cache(), e, http, may)),
                new Running(ToolRegistry.builtins(), Sessions.DEFAULT_MAX_STEPS, ToolCallSeams.DEFAULT, Optional.empty(), Version.current(),
                        BackgroundProcesses::killedAtExit, Clock.systemUTC()));
    }

    /** The production HTTP client: TLS set up in the background (BackgroundHttpClient, DeferredTrust). */
    private static HttpClient standardHttp() {
        return BackgroundHttpClient.start(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).sslContext(DeferredTrust.context()).build());
    }

    public LathePaths paths() { return ground.paths(); }

    public Map<String, String> env() { return ground.env(); }

    public ConfigLoader loader() { return ground.loader(); }

    public Optional<String> store() { return ground.store(); }

    public TeamNode node() { return ground.node(); }

    public HttpChoice http() { return remote.http(); }

    public ProtocolChoice protocols() { return remote.protocols(); }

    public CatalogChoice catalog() { return remote.catalog(); }

    public ToolRegistry tools() { return running.tools(); }

    public int maxSteps() { return running.maxSteps(); }

    public ToolCallSeams seams() { return running.seams(); }

    public Optional<HookRunLog> hookRuns() { return running.hookRuns(); }

    public String version() { return running.version(); }

    public BackgroundChoice background() { return running.background(); }

    public Clock clock() { return running.clock(); }

    public CoreInputs withStore(Optional<String> store, TeamNode node) {
        return new CoreInputs(new Ground(paths(), env(), loader(), store, node), remote, running);
    }

    public CoreInputs withHttp(HttpChoice http) {
        return new CoreInputs(ground, new Remote(http, protocols(), catalog()), running);
    }

    public CoreInputs withProtocols(ProtocolChoice protocols) {
        return new CoreInputs(ground, new Remote(http(), protocols, catalog()), running);
    }

    public CoreInputs withCatalog(CatalogChoice catalog) {
        return new CoreInputs(ground, new Remote(http(), protocols(), catalog), running);
    }

    public CoreInputs withTools(ToolRegistry tools) {
        return new CoreInputs(ground, remote, new Running(tools, maxSteps(), seams(), hookRuns(), version(), background(), clock()));
    }

    public CoreInputs withMaxSteps(int maxSteps) {
        return new CoreInputs(ground, remote, new Running(tools(), maxSteps, seams(), hookRuns(), version(), background(), clock()));
    }

    public CoreInputs withSeams(ToolCallSeams seams) {
        return new CoreInputs(ground, remote, new Running(tools(), maxSteps(), seams, hookRuns(), version(), background(), clock()));
    }

    public CoreInputs withHookRuns(HookRunLog hookRuns) {
        return new CoreInputs(ground, remote, new Running(tools(), maxSteps(), seams(), Optional.of(hookRuns), version(), background(), clock()));
    }

    public CoreInputs withVersion(String version) {
        return new CoreInputs(ground, remote, new Running(tools(), maxSteps(), seams(), hookRuns(), version, background(), clock()));
    }

    public CoreInputs withBackground(BackgroundChoice background) {
        return new CoreInputs(ground, remote, new Running(tools(), maxSteps(), seams(), hookRuns(), version(), background, clock()));
    }

    public CoreInputs withClock(Clock clock) {
        return new CoreInputs(ground, remote, new Running(tools(), maxSteps(), seams(), hookRuns(), version(), background(), clock));
    }
}
