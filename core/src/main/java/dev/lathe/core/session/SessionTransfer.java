package dev.lathe.core.session;

import dev.lathe.core.imports.NewSessions;
import dev.lathe.core.project.Projects;
import dev.lathe.core.store.ImportedSpend;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.store.TranscriptStore;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Export and import of whole sessions ({@code lathe export}, {@code lathe import}). An export holds every stored
 * message, the ones a revert hides included; an import stores the document under its own ids in one transaction, so
 * export, delete, import and export again give the same bytes. The session's folder is kept as written even when it
 * does not exist on this machine: it is just data until someone prompts the session.
 */
final class SessionTransfer {
    private final SessionStore sessions;
    private final MessageStore messages;
    private final Projects projects;
    private final NewSessions created;

    SessionTransfer(SessionStore sessions, MessageStore messages, Projects projects, NewSessions created) {
        this.sessions = sessions;
        this.messages = messages;
        this.projects = projects;
        this.created = created;
    }

    SessionExport export(Session session) {
        return SessionExport.of(session, messages.bySession(session.id()));
    }

    Session importSession(SessionExport export) {
        validate(export);
        Session given = export.session();
        // the project id is this machine's id of the folder (the same one on the machine that exported it); a parent
        // this server does not have is dropped rather than left pointing at nothing
        Optional<SessionId> parent = given.parentId().filter(sessions::exists);
        // the figures an export states are clamped at zero as the store does (ImportedSpend), so the answer shows what is stored
        Session session = ImportedSpend.of(new Session(given.id(), projects.idFor(given.directory()), given.directory(), parent, given.title(), given.agent(),
                given.model(), given.createdAt(), given.updatedAt(), given.revert(), given.usage(), given.cost(), given.archivedAt(), given.worktree(), given.importedFrom()));
        switch (created.insert(session, new NewSessions.Contents.Originals(export.messages()))) {
            case TranscriptStore.Outcome.Stored _ -> { }
            case TranscriptStore.Outcome.Taken t -> throw new LatheException.Conflict(t.what() + " already exists on this server; delete it first to import it again");
        }
        return session;
    }

    private static void validate(SessionExport export) {
        if (export == null) throw new LatheException.InvalidInput("an export document is required");
        if (!SessionExport.FORMAT.equals(export.format())) {
            throw new LatheException.InvalidInput("unsupported export format " + (export.format() == null ? "(none)" : "'" + export.format() + "'")
                    + "; expected '" + SessionExport.FORMAT + "'");
        }
        MissingFields.first(export, "").ifPresent(path -> {
            throw new LatheException.InvalidInput("invalid session export: " + path + " is missing");
        });
        Session session = export.session();
        if (!Path.of(session.directory()).isAbsolute()) throw new LatheException.InvalidInput("invalid session export: session.directory must be an absolute path");
        Set<MessageId> messageIds = new HashSet<>();
        Set<PartId> partIds = new HashSet<>();
        for (int i = 0; i < export.messages().size(); i++) {
            MessageWithParts m = export.messages().get(i);
            String where = "messages[" + i + "]";
            if (!m.info().sessionId().equals(session.id())) throw invalid(where + ".info.sessionId is not the session's id " + session.id());
            if (!messageIds.add(m.info().id())) throw invalid(where + ".info.id " + m.info().id() + " appears twice");
            for (int j = 0; j < m.parts().size(); j++) {
                Part p = m.parts().get(j);
                String at = where + ".parts[" + j + "]";
                if (!p.sessionId().equals(session.id())) throw invalid(at + ".sessionId is not the session's id " + session.id());
                if (!p.messageId().equals(m.info().id())) throw invalid(at + ".messageId is not its message's id " + m.info().id());
                if (!partIds.add(p.id())) throw invalid(at + ".id " + p.id() + " appears twice");
            }
        }
    }

    private static LatheException invalid(String problem) {
        return new LatheException.InvalidInput("invalid session export: " + problem);
    }
}
