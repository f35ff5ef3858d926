package dev.lathe.lsp;

import dev.lathe.tools.Diagnostics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.lsp4j.PublishDiagnosticsParams;

/**
 * The language servers of one project instance (DESIGN §14): nothing runs until a file of a server's language is
 * changed or asked about; then that server starts (one per server and workspace root: the nearest folder with one of
 * its root markers, else the project), in the background, never delaying anything but the diagnostics that wait for
 * it. A server that dies is restarted with backoff. {@link #close} stops them all.
 *
 * <p>For a file, the first server of {@link LspSettings#servers} (in order) that serves its extension, is enabled and
 * whose command is found ({@link BuiltinServers#find}) is the one. A command found only in the project's own
 * {@code node_modules/.bin}, or given as a path inside the project, runs only when {@code projectExecutables} (the
 * folder is trusted); otherwise the server's status is {@link LspServerStatus#WITHHELD}.
 *
 * <p>Every publish of every server goes to {@code events} as {@link LspEvent.DiagnosticsPublished}, every change of a
 * server's status as {@link LspEvent.StatusChanged}; a listener that throws is ignored.
 */
public final class ProjectLanguageServers implements AutoCloseable {
    private final Path root;
    private final LspSettings settings;
    private final Map<String, String> env;
    private final Consumer<LspEvent> events;
    private final java.util.function.Predicate<Path> projectExecutable;
    private final PublishedDiagnostics published = new PublishedDiagnostics();
    private final Map<String, BuiltinServers.Located> located = new ConcurrentHashMap<>();
    private final Map<String, ServerRunner> runners = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param root the project's root folder
     * @param env the whole environment servers run with (the caller has removed what children must not see); its
     *            {@code PATH} is where commands are looked up
     * @param projectExecutables whether the project's own executables may run (the folder is trusted)
     */
    public ProjectLanguageServers(Path root, LspSettings settings, Map<String, String> env, Consumer<LspEvent> events,
            boolean projectExecutables) {
        this(root, settings, env, events, _ -> projectExecutables);
    }

    /**
     * @param projectExecutable whether one of the project's own executables (its absolute path) may run: the folder is
     *            trusted and the file is what trust pinned. Asked when a server is located and again before each start of
     *            its process, so a file changed after the first look is not started.
     */
    public ProjectLanguageServers(Path root, LspSettings settings, Map<String, String> env, Consumer<LspEvent> events,
            java.util.function.Predicate<Path> projectExecutable) {
        this.root = root.toAbsolutePath().normalize();
        this.settings = Objects.requireNonNull(settings, "settings");
        this.env = Map.copyOf(env);
        this.events = Objects.requireNonNull(events, "events");
        this.projectExecutable = Objects.requireNonNull(projectExecutable, "projectExecutable");
    }

    /** Servers of a folder not trusted: only those on {@code PATH} run (the safe default). */
    public ProjectLanguageServers(Path root, LspSettings settings, Map<String, String> env, Consumer<LspEvent> events) {
        this(root, settings, env, events, false);
    }

    /** The port the tool-call pipeline calls after a call changed files (DESIGN §18 format); see {@link ChangeDiagnostics}. */
    public Diagnostics diagnostics() {
        return new ChangeDiagnostics(this);
    }

    /**
     * Every configured server's status, in settings order: not found, withheld, disabled, idle (found, not started),
     * or the state of each running instance (one per workspace root). Empty when LSP is off.
     */
    public List<LspServerStatus> status() {
        if (!settings.enabled()) return List.of();
        List<LspServerStatus> all = new ArrayList<>();
        for (LspServerSpec spec : settings.servers().values()) {
            String configured = String.join(" ", spec.command());
            if (!spec.enabled()) {
                all.add(new LspServerStatus(spec.name(), LspServerStatus.DISABLED, configured, Optional.empty()));
                continue;
            }
            switch (locate(spec)) {
                case BuiltinServers.Located.Missing m -> all.add(new LspServerStatus(spec.name(), LspServerStatus.NOT_FOUND, configured,
                        Optional.of(spec.command().getFirst() + " is not on PATH")));
                case BuiltinServers.Located.Withheld w -> all.add(new LspServerStatus(spec.name(), LspServerStatus.WITHHELD,
                        w.executable().toString(), Optional.of("the project's own " + w.executable().getFileName()
                                + " runs once the folder is trusted (lathe trust)")));
                case BuiltinServers.Located.Found f -> {
                    List<LspServerStatus> started = runners.values().stream().filter(r -> r.spec().name().equals(spec.name()))
                            .map(ServerRunner::status).toList();
                    if (started.isEmpty()) all.add(new LspServerStatus(spec.name(), LspServerStatus.IDLE, String.join(" ", f.command()), Optional.empty()));
                    else all.addAll(started);
                }
            }
        }
        return List.copyOf(all);
    }

    /** Stops every server ({@code shutdown}, {@code exit}, then kills what lingers), in parallel. */
    @Override
    public void close() {
        closed = true;
        List<Thread> stopping = runners.values().stream().map(r -> Thread.ofVirtual().name("lsp-stop").start(r::close)).toList();
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    Path root() { return root; }

    LspSettings settings() { return settings; }

    PublishedDiagnostics published() { return published; }

    /** The server for {@code file} (absolute, normalised), created (not started) on the first call; empty when none serves it. */
    Optional<ServerRunner> runnerFor(Path file) {
        if (!settings.enabled() || closed) return Optional.empty();
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        for (LspServerSpec spec : settings.servers().values()) {
            if (!spec.enabled() || !spec.serves(name)) continue;
            if (!(locate(spec) instanceof BuiltinServers.Located.Found found)) continue;
            Path workspace = workspaceRoot(spec, file);
            Path exe = Path.of(found.command().getFirst());
            java.util.function.BooleanSupplier mayStart = found.projectOwn() ? () -> projectExecutable.test(exe) : () -> true;
            return Optional.of(runners.computeIfAbsent(spec.name() + "\u0000" + workspace,
                    _ -> new ServerRunner(spec, found.command(), workspace, env, this::publish, s -> emit(new LspEvent.StatusChanged(s)), mayStart)));
        }
        return Optional.empty();
    }

    /** The servers started so far. */
    List<ServerRunner> runners() { return List.copyOf(runners.values()); }

    /** Why no server handles {@code file}, for the lsp tool's error. */
    String noServerReason(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (!settings.enabled()) return "language servers are turned off (\"lsp\": false)";
        List<String> why = new ArrayList<>();
        for (LspServerSpec spec : settings.servers().values()) {
            if (!spec.serves(name)) continue;
            if (!spec.enabled()) why.add(spec.name() + " is disabled");
            else switch (locate(spec)) {
                case BuiltinServers.Located.Missing m -> why.add(spec.name() + " is not installed (" + spec.command().getFirst() + " not found)");
                case BuiltinServers.Located.Withheld w -> why.add(spec.name() + " is the project's own and runs once the folder is trusted");
                case BuiltinServers.Located.Found f -> why.add(spec.name() + " is available");
            }
        }
        return why.isEmpty() ? "no language server handles " + name : String.join("; ", why);
    }

    /** {@code file} as results show it: relative to the project with {@code /}, absolute outside it. */
    String shown(Path file) {
        return file.startsWith(root) ? root.relativize(file).toString().replace(java.io.File.separatorChar, '/') : file.toString();
    }

    private BuiltinServers.Located locate(LspServerSpec spec) {
        return located.computeIfAbsent(spec.name(), _ -> BuiltinServers.locate(spec, root, env, projectExecutable));
    }

    /** The nearest folder at or above {@code file}, inside the project, holding one of {@code spec}'s root markers; else the project. */
    private Path workspaceRoot(LspServerSpec spec, Path file) {
        if (!file.startsWith(root)) return root;
        for (Path dir = file.getParent(); dir != null && dir.startsWith(root); dir = dir.getParent()) {
            for (String marker : spec.rootMarkers()) if (Files.exists(dir.resolve(marker))) return dir;
        }
        return root;
    }

    private void publish(PublishDiagnosticsParams params) {
        published.accept(params).ifPresent(file -> emit(new LspEvent.DiagnosticsPublished(shown(file), Problems.of(params.getDiagnostics()))));
    }

    private void emit(LspEvent event) {
        try {
            events.accept(event);
        } catch (RuntimeException ignored) {
            // a listener's failure must not reach a server's reader thread
        }
    }
}
