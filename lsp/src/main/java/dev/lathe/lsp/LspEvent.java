package dev.lathe.lsp;

import java.util.List;

/** What a project's language servers tell the rest of Lathe: new diagnostics of a file, or a server's new state. */
public sealed interface LspEvent {
    /** A server published the problems of {@code relPath} (relative to the project root); empty when it is clean. */
    record DiagnosticsPublished(String relPath, List<LspProblem> problems) implements LspEvent {
        public DiagnosticsPublished {
            problems = List.copyOf(problems);
        }
    }

    /** A server started, failed, restarted or stopped. */
    record StatusChanged(LspServerStatus status) implements LspEvent {}
}
