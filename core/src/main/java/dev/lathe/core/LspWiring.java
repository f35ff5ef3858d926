package dev.lathe.core;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.lsp.LanguageServers;
import dev.lathe.core.lsp.OpenLanguageServers;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.Projects;
import dev.lathe.lsp.LspEvent;
import dev.lathe.lsp.LspServerStatus;
import dev.lathe.protocol.api.LspProblemInfo;
import dev.lathe.protocol.api.LspServerInfo;
import dev.lathe.protocol.event.Event;
import dev.lathe.tools.builtin.ChildEnvironment;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The language servers of a running Lathe (DESIGN §14): each project instance's {@link LanguageServers} follow it
 * (opened when it is read, closed when it closes or idles), its diagnostics reach the tool-call pipeline's port and
 * clients ({@code lsp.diagnostics}), its servers' states {@code GET /lsp} and {@code lsp.status}.
 */
record LspWiring(OpenLanguageServers servers, Map<String, String> env) implements AutoCloseable {
    static LspWiring start(LanguageServers.Factory factory, EventBus bus, Map<String, String> env) {
        var servers = new OpenLanguageServers(factory, (root, event) -> bus.publish(Optional.of(root.toString()), event(root, event)));
        return new LspWiring(servers, Map.copyOf(env));
    }

    static Event event(Path root, LspEvent event) {
        return switch (event) {
            case LspEvent.DiagnosticsPublished d -> new Event.LspDiagnostics(root.toString(), d.relPath(),
                    d.problems().stream().map(p -> new LspProblemInfo(p.severity(), p.line(), p.column(), p.message())).toList());
            case LspEvent.StatusChanged s -> new Event.LspStatusChanged(root.toString(), info(s.status()));
        };
    }

    static LspServerInfo info(LspServerStatus status) {
        return new LspServerInfo(status.name(), status.state(), status.command(), status.lastError());
    }

    /** The servers of the open project at {@code root} and their states now, as {@code GET /lsp} answers them. */
    List<LspServerInfo> statuses(Path root) {
        return servers.status(root).stream().map(LspWiring::info).toList();
    }

    Projects.Lifecycle lifecycle() {
        return new Projects.Lifecycle() {
            @Override
            public void read(Project project) {
                var trust = project.trust().trusted() ? LanguageServers.Trust.TRUSTED : LanguageServers.Trust.UNTRUSTED;
                // the project's own executables run only as trust pinned them (LspPins, through the config's gate)
                servers.open(project.directory(), project.config().lsp(), trust, project.config().approvedFiles(), project.repoRoot(),
                        ChildEnvironment.scrubbed(env, secrets(project)));
            }

            @Override
            public void closed(Path directory) {
                servers.close(directory);
            }
        };
    }

    /** The provider keys the project's config names: a language server never sees them, whatever variable holds them. */
    static Set<String> secrets(Project project) {
        Set<String> out = new HashSet<>();
        project.config().providers().values().forEach(p -> p.apiKey().ifPresent(out::add));
        return out;
    }

    /** Two lifecycles as one, {@code first} told first. */
    static Projects.Lifecycle both(Projects.Lifecycle first, Projects.Lifecycle then) {
        return new Projects.Lifecycle() {
            @Override
            public void read(Project project) {
                first.read(project);
                then.read(project);
            }

            @Override
            public void closed(Path directory) {
                first.closed(directory);
                then.closed(directory);
            }
        };
    }

    @Override
    public void close() {
        servers.close();
    }
}
