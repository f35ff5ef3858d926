package dev.lathe.core.lsp;

import dev.lathe.lsp.LspEvent;
import dev.lathe.lsp.LspServerStatus;
import dev.lathe.lsp.LspSettings;
import dev.lathe.tools.Diagnostics;
import dev.lathe.tools.Tool;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The language servers of one open project (DESIGN §14), as the core uses them: what the {@code lsp} module's
 * {@code ProjectLanguageServers} offers, behind an interface of the core's own so the wiring does not depend on how
 * the module builds them. Contract: nothing here waits for a server to start except {@link #diagnostics()}'s report,
 * which is bounded by {@link LspSettings#wait()}; {@link #tools()} is fixed for the instance (the cached prefix stays
 * stable); {@link #close()} stops every server it started.
 */
public interface LanguageServers extends AutoCloseable {
    /** The port the tool-call pipeline hands a call's changed files to (DESIGN §18 blocks, or the empty string). */
    Diagnostics diagnostics();

    /** Every server of the project now, started or not, in the table's order. */
    List<LspServerStatus> status();

    /** The {@code lsp} tool over these servers; empty when no server could run for the project (then it is not offered). */
    List<Tool<?>> tools();

    @Override
    void close();

    /** No servers: no diagnostics, no statuses, no tool. */
    LanguageServers NONE = new LanguageServers() {
        @Override public Diagnostics diagnostics() { return Diagnostics.NONE; }

        @Override public List<LspServerStatus> status() { return List.of(); }

        @Override public List<Tool<?>> tools() { return List.of(); }

        @Override public void close() { }
    };

    /**
     * What a project's servers are opened with: its {@code root}, the configured {@code settings}, the {@code env}
     * servers inherit (keys already removed), whether the folder is {@code trusted} (a server found only in the
     * project's own {@code node_modules/.bin} runs only then), which of the project's own executables may run
     * ({@code projectExecutable}: trusted and as trust pinned them, {@link LspPins}), and where their {@code events} go.
     */
    record Opening(Path root, LspSettings settings, Map<String, String> env, Trust trust, java.util.function.Predicate<Path> projectExecutable,
            Consumer<LspEvent> events) {
        public Opening {
            env = Map.copyOf(env);
        }

        /** Every project executable of a trusted folder may run (tests of the servers themselves). */
        public Opening(Path root, LspSettings settings, Map<String, String> env, Trust trust, Consumer<LspEvent> events) {
            this(root, settings, env, trust, _ -> trust == Trust.TRUSTED, events);
        }
    }

    /** Whether the project's own executables may run (DESIGN §14 "Trust"). */
    enum Trust { TRUSTED, UNTRUSTED }

    /** A built-in server and where it was found for a project, if anywhere ({@code lathe doctor}). */
    record Found(String name, Optional<List<String>> command) {}

    /** Builds a project's servers; the one place that knows the {@code lsp} module's classes. */
    interface Factory {
        /** Never starts a server: they start lazily on the first file of their language. */
        LanguageServers open(Opening opening);

        /** The built-in servers and the command each resolves to for {@code root} under {@code env} (PATH, {@code node_modules/.bin}). */
        List<Found> survey(Path root, Map<String, String> env);

        /**
         * The built-in servers an untrusted folder would run from its own {@code node_modules/.bin} and that are
         * withheld until it is trusted (one warning, as for MCP servers).
         */
        List<String> projectLocal(Path root, LspSettings settings, Map<String, String> env);

        /** Until the {@code lsp} module's servers are wired in: nothing anywhere. */
        Factory NONE = new Factory() {
            @Override public LanguageServers open(Opening opening) { return LanguageServers.NONE; }

            @Override public List<Found> survey(Path root, Map<String, String> env) { return List.of(); }

            @Override public List<String> projectLocal(Path root, LspSettings settings, Map<String, String> env) { return List.of(); }
        };
    }
}
