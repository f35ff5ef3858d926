package dev.lathe.core.session;

import dev.lathe.core.context.ContextView;
import dev.lathe.core.exports.ExportSource;
import dev.lathe.core.exports.HarnessWriters;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.Projects;
import dev.lathe.core.session.context.Secrets;
import dev.lathe.core.session.inbox.SessionTitles;
import dev.lathe.core.session.context.SessionProjects;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.toolcall.SecretMask;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.HarnessExportRequest;
import dev.lathe.protocol.api.HarnessExportResult;
import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.session.Session;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code lathe export ID --to claude-code|opencode} (DESIGN §27): gathers what the session's model is sent now (after
 * reverts, rewinds and compaction: {@link ContextView}) and its subagents' sessions, masks every secret the server
 * knows the session could have met ({@link Secrets}, as tool results are masked before they are stored), and hands them
 * to the other harness's writer ({@link HarnessWriters}).
 */
public final class SessionExports {
    /** Subagents of subagents are carried this deep; a deeper chain is named as not carried. */
    private static final int MAX_DEPTH = 4;

    private final SessionStore store;
    private final SessionReads reads;
    private final SessionProjects projects;
    private final Projects host;

    SessionExports(SessionStore store, SessionReads reads, SessionProjects projects, Projects host) {
        this.store = store;
        this.reads = reads;
        this.projects = projects;
        this.host = host;
    }

    /** @param environment the asking client's: its config, keys and variables are among the secrets masked */
    public HarnessExportResult run(SessionId id, HarnessExportRequest request, ClientEnvironment environment) {
        Session session = store.find(id).orElseThrow(() -> new LatheException.NotFound("no session " + id.value()));
        if (request == null || request.to() == null) throw new LatheException.InvalidInput("name the harness to export to: --to claude-code|opencode");
        // a request naming no locations (the web UI's: a browser has no HOME) writes the storage of the server's own user
        HistoryImportRequest.Locations where = request.locations().equals(HistoryImportRequest.Locations.NONE)
                ? HistoryImportRequest.Locations.of(host.host().variables()) : request.locations();
        Set<String> secrets = secrets(session, environment);
        return HarnessWriters.write(request.to(), source(session, secrets, 0), request.directory(), where);
    }

    private ExportSource source(Session session, Set<String> secrets, int depth) {
        List<ExportSource> children = depth >= MAX_DEPTH ? List.of()
                : reads.children(session.id()).stream().map(child -> source(child, secrets, depth + 1)).toList();
        Session titled = session.withTitle(title(session.title(), secrets), session.updatedAt());
        return new ExportSource(titled, ContextView.of(reads.messages(session.id())).messages(), children, text -> SecretMask.apply(text, secrets));
    }

    /**
     * The title masked: a title is the first prompt's first line cut at 60 characters with {@code ...}, so a secret it
     * named may end it cut short, where whole-secret masking would not see it; that start of a secret is masked too.
     */
    static String title(String title, Set<String> secrets) {
        return SessionTitles.masked(title, SecretMask.of(secrets));
    }

    /**
     * The project's secrets ({@link Secrets}: provider keys, credential variables, MCP secrets) with the session's model's
     * key; and, whatever the project's config says, the credential variables of the asking client.
     */
    private Set<String> secrets(Session session, ClientEnvironment environment) {
        Set<String> out = new HashSet<>();
        Secrets.variables(environment.variables(), out);
        try {
            Project project = projects.project(session.directory(), environment);
            out.addAll(Secrets.of(project, session.model()));
        } catch (RuntimeException unreadable) {
            // an invalid config or a folder gone: the client's and the server's own credential variables are still masked
        }
        return out;
    }
}
