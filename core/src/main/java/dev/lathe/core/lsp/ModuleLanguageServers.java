package dev.lathe.core.lsp;

import dev.lathe.lsp.BuiltinServers;
import dev.lathe.lsp.LspServerSpec;
import dev.lathe.lsp.LspServerStatus;
import dev.lathe.lsp.LspSettings;
import dev.lathe.lsp.LspTool;
import dev.lathe.lsp.ProjectLanguageServers;
import dev.lathe.tools.Diagnostics;
import dev.lathe.tools.Tool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code lsp} module's {@link ProjectLanguageServers} as the core's {@link LanguageServers} (the one class that
 * names the module's classes; {@link LspModule#FACTORY} is an instance). Config gives only its own entries
 * ({@code LspBinding}); here they meet the built-in table: an entry named like a built-in keeps the built-in's
 * extensions, root markers and initialization options where it sets none, {@code false} disables it, and servers of
 * the user's own are tried before the built-ins for a file. The lsp tool is offered where a server that can run finds
 * one of its root markers at the project root.
 */
final class ModuleLanguageServers implements LanguageServers.Factory {
    /** States in which a server can serve the lsp tool (not missing, not withheld, not off). */
    private static final Set<String> UNUSABLE = Set.of(LspServerStatus.NOT_FOUND, LspServerStatus.WITHHELD, LspServerStatus.DISABLED);

    @Override
    public LanguageServers open(LanguageServers.Opening o) {
        LspSettings settings = merged(o.settings());
        var servers = new ProjectLanguageServers(o.root(), settings, o.env(), o.events(),
                exe -> o.trust() == LanguageServers.Trust.TRUSTED && o.projectExecutable().test(exe));
        // decided once per instance, on the first step that asks (open must return at once): the tool list stays
        // byte-stable for the cached prefix
        var tools = new java.util.concurrent.atomic.AtomicReference<List<Tool<?>>>();
        return new LanguageServers() {
            @Override public Diagnostics diagnostics() { return servers.diagnostics(); }

            @Override public List<LspServerStatus> status() { return servers.status(); }

            @Override
            public List<Tool<?>> tools() {
                return tools.updateAndGet(t -> t != null ? t
                        : servers.status().stream().anyMatch(s -> !UNUSABLE.contains(s.state()) && marked(o.root(), settings.servers().get(s.name())))
                                ? List.of(new LspTool(servers)) : List.of());
            }

            @Override public void close() { servers.close(); }
        };
    }

    /**
     * Whether the project looks like one {@code spec} serves: one of its root markers at the project root
     * ({@code pyproject.toml}, {@code tsconfig.json}, {@code package.json}, {@code go.mod}, {@code Cargo.toml}, ...). The
     * lsp tool's definition costs ~300 tokens of every request: a clangd on the PATH alone does not put it into a
     * Python project's requests (nor push the first request past DESIGN §16's 5k).
     */
    private static boolean marked(Path root, LspServerSpec spec) {
        return spec != null && spec.rootMarkers().stream().anyMatch(m -> java.nio.file.Files.exists(root.resolve(m)));
    }

    @Override
    public List<LanguageServers.Found> survey(Path root, Map<String, String> env) {
        return BuiltinServers.table().values().stream()
                .map(spec -> new LanguageServers.Found(spec.name(), BuiltinServers.find(spec, root, env, true))).toList();
    }

    @Override
    public List<String> projectLocal(Path root, LspSettings settings, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (LspServerSpec spec : merged(settings).servers().values()) {
            if (spec.enabled() && BuiltinServers.find(spec, root, env, false).isEmpty() && BuiltinServers.find(spec, root, env, true).isPresent()) {
                out.add(spec.name());
            }
        }
        return out;
    }

    /** The built-in table with config's entries: the user's own servers first, then the built-ins as config changed them. */
    static LspSettings merged(LspSettings config) {
        Map<String, LspServerSpec> builtins = BuiltinServers.table();
        Map<String, LspServerSpec> out = new LinkedHashMap<>();
        config.servers().forEach((name, spec) -> { if (!builtins.containsKey(name)) out.put(name, spec); });
        builtins.forEach((name, builtin) -> {
            LspServerSpec mine = config.servers().get(name);
            if (mine == null) out.put(name, builtin);
            else if (!mine.enabled()) out.put(name, builtin.disabled());
            else out.put(name, new LspServerSpec(name, mine.command(), mine.extensions().isEmpty() ? builtin.extensions() : mine.extensions(),
                    mine.rootMarkers().isEmpty() ? builtin.rootMarkers() : mine.rootMarkers(),
                    mine.initializationOptionsJson().or(builtin::initializationOptionsJson), mine.env(), true));
        });
        return new LspSettings(config.enabled(), out, config.warnings(), config.diagnosticsWait());
    }
}
