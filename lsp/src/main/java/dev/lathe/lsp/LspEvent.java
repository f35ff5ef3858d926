package dev.lathe.lsp;

import java.util.List;
import java.util.Objects;

/** What a project's language servers tell whoever listens (the core turns them into {@code lsp.*} events). */
public sealed interface LspEvent {
    /**
     * A server published the diagnostics of a file: {@code relPath} relative to the project with {@code /} (absolute
     * outside it), every problem it published (all severities), possibly none (the file is clean).
     */
    record DiagnosticsPublished(String relPath, List<LspProblem> problems) implements LspEvent {
        public DiagnosticsPublished {
            Objects.requireNonNull(relPath, "relPath");
            problems = List.copyOf(problems);
        }
    }

    /** A server's status changed (started, died, restarted, ...). */
    record StatusChanged(LspServerStatus status) implements LspEvent {
        public StatusChanged {
            Objects.requireNonNull(status, "status");
        }
    }
}
