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
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the composition root ({@link CoreBuilder}) is built from: each input has its production default ({@link #of})
 * and a {@code with…} that overrides it, so production and tests build the same graph and differ only in what they
 * say here (pi's root with overridable defaults, issue 54). Nothing is built or read until a stage asks.
 *
 * @param paths Lathe's folders (data, state, config, cache)
 * @param env the process environment as the caller read it: config layers, XDG folders and child processes take it
 *     from here, never from {@code System.getenv()}
 * @param loader how configuration files are read
 * @param store a team server's PostgreSQL store URL (DESIGN §20); empty: the data folder's SQLite file
 * @param node who this node is on a team server's store (unused without {@code store})
 * @param http the HTTP client providers, hooks and the catalog use (made first: its TLS set-up runs beside the rest)
 * @param protocols the wire protocols over that client
 * @param catalog the model catalog over that client, told whether a refresh may download from a URL now
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
public record CoreInputs(LathePaths paths, Map<String, String> env, ConfigLoader loader, Optional<String> store, TeamNode node,
        Supplier<HttpClient> http, Function<HttpClient, Protocols> protocols, CatalogChoice catalog, ToolRegistry tools, int maxSteps,
        ToolCallSeams seams, Optional<HookRunLog> hookRuns, String version, Supplier<BackgroundProcesses> background, Clock clock) {
    public CoreInputs {
        env = Map.copyOf(env);
    }

    /** The catalog of models the providers are looked up in. */
    @FunctionalInterface
    public interface CatalogChoice {
        CatalogSource open(LathePaths paths, Map<String, String> env, HttpClient http, Predicate<URI> mayRefresh);
    }

    /** The production inputs of a Lathe over {@code paths}, {@code env} and {@code loader}: a one-process SQLite core. */
    public static CoreInputs of(LathePaths paths, Map<String, String> env, ConfigLoader loader) {
        return new CoreInputs(paths, env, loader, Optional.empty(), TeamNode.random(), CoreInputs::standardHttp, Protocols::standard,
                (p, e, http, may) -> CatalogSource.start(p.cache(), e, http, may), ToolRegistry.builtins(), Sessions.DEFAULT_MAX_STEPS,
                ToolCallSeams.DEFAULT, Optional.empty(), Version.current(), BackgroundProcesses::killedAtExit, Clock.systemUTC());
    }

    /** The production HTTP client: TLS set up in the background (BackgroundHttpClient, DeferredTrust). */
    private static HttpClient standardHttp() {
        return BackgroundHttpClient.start(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).sslContext(DeferredTrust.context()).build());
    }

    public CoreInputs withStore(Optional<String> store, TeamNode node) {
        return new CoreInputs(paths, env, loader, store, node, http, protocols, catalog, tools, maxSteps, seams, hookRuns, version, background, clock);
    }

    public CoreInputs withHttp(Supplier<HttpClient> http) {
        return new CoreInputs(paths, env, loader, store, node, http, protocols, catalog, tools, maxSteps, seams, hookRuns, version, background, clock);
    }

    public CoreInputs withProtocols(Function<HttpClient, Protocols> protocols) {
        return new CoreInputs(paths, env, loader, store, node, http, protocols, catalog, tools, maxSteps, seams, hookRuns, version, background, clock);
    }

    public CoreInputs withCatalog(CatalogChoice catalog) {
        return new CoreInputs(paths, env, loader, store, node, http, protocols, catalog, tools, maxSteps, seams, hookRuns, version, background, clock);
    }

    public CoreInputs withTools(ToolRegistry tools) {
        return new CoreInputs(paths, env, loader, store, node, http, protocols, catalog, tools, maxSteps, seams, hookRuns, version, background, clock);
    }

    public CoreInputs withMaxSteps(int maxSteps) {
        return new CoreInputs(paths, env, loader, store, node, http, protocols, catalog, tools, maxSteps, seams, hookRuns, version, background, clock);
    }

    public CoreInputs withSeams(ToolCallSeams seams) {
        return new CoreInputs(paths, env, loader, store, node, http, protocols, catalog, tools, maxSteps, seams, hookRuns, version, background, clock);
    }

    public CoreInputs withHookRuns(HookRunLog hookRuns) {
        return new CoreInputs(paths, env, loader, store, node, http, protocols, catalog, tools, maxSteps, seams, Optional.of(hookRuns), version,
                background, clock);
    }

    public CoreInputs withVersion(String version) {
        return new CoreInputs(paths, env, loader, store, node, http, protocols, catalog, tools, maxSteps, seams, hookRuns, version, background, clock);
    }

    public CoreInputs withBackground(Supplier<BackgroundProcesses> background) {
        return new CoreInputs(paths, env, loader, store, node, http, protocols, catalog, tools, maxSteps, seams, hookRuns, version, background, clock);
    }

    public CoreInputs withClock(Clock clock) {
        return new CoreInputs(paths, env, loader, store, node, http, protocols, catalog, tools, maxSteps, seams, hookRuns, version, background, clock);
    }
}
