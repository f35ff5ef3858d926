package dev.lathe.core.lsp;

import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.lsp.LspEvent;
import dev.lathe.lsp.LspServerStatus;
import dev.lathe.lsp.LspSettings;
import dev.lathe.tools.Diagnostics;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The {@link LanguageServers} of every open project, by root (DESIGN §14): opened when a project instance is read (no
 * server starts then: they start on the first file of their language), opened again when its {@code lsp} settings or
 * its trust changed, closed with the instance. {@link #diagnostics()} is the pipeline's port: it routes a call to the
 * servers of the calling session's project and never lets a server's failure fail the call. As {@link ExtensionTools}
 * it offers each project's {@code lsp} tool.
 */
public final class OpenLanguageServers implements ExtensionTools, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OpenLanguageServers.class.getName());

    /** A project's servers and what they were opened with (a change of either opens them again). */
    private record Open(LspSettings settings, LanguageServers.Trust trust, java.util.Set<String> approved, LanguageServers servers) {}

    private final Map<Path, Open> projects = new ConcurrentHashMap<>();
    private final LanguageServers.Factory factory;
    private final BiConsumer<Path, LspEvent> events;

    /** @param events every project's servers' events, with the project root */
    public OpenLanguageServers(LanguageServers.Factory factory, BiConsumer<Path, LspEvent> events) {
        this.factory = factory;
        this.events = events;
    }

    /**
     * The project at {@code root} now has {@code settings} and {@code trust}: its servers are opened, or opened again
     * when either changed; {@code env} is what its servers inherit (keys removed). Returns at once.
     */
    public void open(Path root, LspSettings settings, LanguageServers.Trust trust, Map<String, String> env) {
        open(root, settings, trust, null, root, env);
    }

    /**
     * As {@link #open(Path, LspSettings, LanguageServers.Trust, Map)}, the project's own executables running only as
     * trust pinned them: {@code approved} are the hashes the configuration's trust gate admitted ({@link LspPins}); a
     * change of them (an approval) opens the servers again. {@code null}: every one of a trusted folder. {@code pinRoot}
     * is the project root the configuration (and so its pins) was read at.
     */
    public void open(Path root, LspSettings settings, LanguageServers.Trust trust, java.util.Set<String> approved, Path pinRoot,
            Map<String, String> env) {
        Path key = normal(root);
        java.util.Set<String> pins = approved == null ? null : java.util.Set.copyOf(approved);
        projects.compute(key, (k, was) -> {
            if (was != null && was.settings().equals(settings) && was.trust() == trust && java.util.Objects.equals(was.approved(), pins)) return was;
            if (was != null) closeQuietly(k, was.servers());
            if (!settings.enabled()) return new Open(settings, trust, pins, LanguageServers.NONE);
            java.util.function.Predicate<Path> own = pins == null ? _ -> trust == LanguageServers.Trust.TRUSTED : LspPins.admits(pinRoot, pins);
            LanguageServers servers = factory.open(new LanguageServers.Opening(k, settings, env, trust, own, e -> events.accept(k, e)));
            return new Open(settings, trust, pins, servers);
        });
    }

    /** The instance of the project at {@code root} closed: its servers stop. */
    public void close(Path root) {
        Open was = projects.remove(normal(root));
        if (was != null) closeQuietly(normal(root), was.servers());
    }

    /** The servers of the open project at {@code root} and their states now; empty when it is not open or has none. */
    public List<LspServerStatus> status(Path root) {
        return servers(root).map(LanguageServers::status).orElse(List.of());
    }

    /** The pipeline's diagnostics port, routed by the calling session's project root. */
    public Diagnostics diagnostics() {
        return (changed, ctx) -> report(changed, ctx);
    }

    private String report(List<String> changed, ToolContext ctx) {
        var servers = servers(ctx.folders().project());
        if (servers.isEmpty()) return "";
        try {
            return servers.get().diagnostics().report(changed, ctx);
        } catch (RuntimeException e) {
            // a language server is a helper: whatever goes wrong with it, the edit itself stands
            LOG.log(System.Logger.Level.WARNING, "diagnostics for " + changed + " failed", e);
            return "";
        }
    }

    @Override
    public List<Tool<?>> offered(Path projectDir, String sessionId) {
        return servers(projectDir).map(LanguageServers::tools).orElse(List.of());
    }

    @Override
    public Optional<Tool<?>> find(Path projectDir, String name) {
        return offered(projectDir, "").stream().filter(t -> t.name().equals(name)).findFirst();
    }

    private Optional<LanguageServers> servers(Path root) {
        return Optional.ofNullable(projects.get(normal(root))).map(Open::servers);
    }

    private static Path normal(Path root) {
        return root.toAbsolutePath().normalize();
    }

    private static void closeQuietly(Path root, LanguageServers servers) {
        try {
            servers.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "stopping the language servers of " + root + " failed", e);
        }
    }

    /** Every project's servers stop (Lathe is stopping). */
    @Override
    public void close() {
        for (Path root : List.copyOf(projects.keySet())) close(root);
    }
}
