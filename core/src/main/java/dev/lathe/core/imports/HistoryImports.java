package dev.lathe.core.imports;

import dev.lathe.core.project.Projects;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.store.TranscriptStore;
import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.HistoryImportResult;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.core.project.Project;
import dev.lathe.protocol.api.ClientEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code lathe import --from} (DESIGN §21): finds another harness's sessions, keeps those the request selects, and
 * either lists them or stores them as Lathe sessions. A session already imported (the same source and source id
 * give the same Lathe id) gets only what is new; the source files are only ever read.
 */
public final class HistoryImports {
    private final SessionStore sessions;
    private final TranscriptStore transcripts;
    private final Projects projects;
    private final NewSessions created;

    /** @param transcripts where a session imported before gets what its source added since ({@link TranscriptStore#merge}) */
    public HistoryImports(SessionStore sessions, TranscriptStore transcripts, Projects projects, NewSessions created) {
        this.sessions = sessions;
        this.transcripts = transcripts;
        this.projects = projects;
        this.created = created;
    }

    /** @param environment the asking client's, whose config and keys decide the model an imported session continues with */
    public HistoryImportResult run(HistoryImportRequest request, ClientEnvironment environment) {
        HistoryReader reader = HistoryReader.of(request.source());
        Optional<Path> directory = request.directory().map(d -> Path.of(d).toAbsolutePath().normalize());
        boolean store = request.all() || request.id().isPresent();
        List<HistoryImportResult.Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        // a request naming no locations (the web UI's: a browser has no HOME) reads the files of the server's own user
        Path root = reader.root(request.locations().equals(HistoryImportRequest.Locations.NONE)
                ? HistoryImportRequest.Locations.of(projects.host().variables()) : request.locations());
        if (request.id().isPresent()) unique(reader, root, directory, request);
        try {
            reader.each(root, directory, t -> {
                if (!selected(t, request, directory)) return;
                entries.add(store ? store(reader, t, Optional.empty(), environment) : found(t, Optional.empty()));
                for (Transcript child : t.children()) {
                    entries.add(store ? store(reader, child, Optional.of(t.sourceId()), environment) : found(child, Optional.of(t.sourceId())));
                }
            }, problems);
        } catch (IOException e) {
            throw new LatheException.InvalidInput("cannot read " + root + ": " + e.getMessage());
        }
        if (request.id().isPresent() && entries.isEmpty()) {
            throw new LatheException.NotFound("no " + reader.source() + " session " + request.id().get() + " under " + root
                    + directory.map(d -> " for " + d).orElse(""));
        }
        return new HistoryImportResult(entries, problems);
    }

    /** An id prefix must name one session: two that start with it are refused before anything is stored. */
    private static void unique(HistoryReader reader, Path root, Optional<Path> directory, HistoryImportRequest request) {
        List<String> matching = new ArrayList<>();
        try {
            reader.each(root, directory, t -> {
                if (selected(t, request, directory)) matching.add(t.sourceId());
            }, new ArrayList<>());
        } catch (IOException e) {
            throw new LatheException.InvalidInput("cannot read " + root + ": " + e.getMessage());
        }
        if (matching.size() > 1) {
            throw new LatheException.InvalidInput("'" + request.id().get() + "' names " + matching.size() + " " + reader.source() + " sessions ("
                    + String.join(", ", matching) + "); give more of the id");
        }
    }

    private static boolean selected(Transcript t, HistoryImportRequest request, Optional<Path> directory) {
        if (t.messages().isEmpty()) return false;
        if (directory.isPresent() && !Path.of(t.session().directory()).normalize().equals(directory.get())) return false;
        if (request.since().isPresent() && t.session().updatedAt() < request.since().get()) return false;
        return request.id().isEmpty() || t.sourceId().startsWith(request.id().get());
    }

    /** Stored marked as {@code reader}'s: the other harness billed its tokens, Lathe did not (issue 71). */
    private HistoryImportResult.Entry store(HistoryReader reader, Transcript t, Optional<String> parentSourceId, ClientEnvironment environment) {
        Session given = t.session();
        Session session = new Session(given.id(), projects.idFor(given.directory()), given.directory(), given.parentId(), given.title(),
                given.agent(), continueWith(given.directory(), given.model(), environment), given.createdAt(), given.updatedAt(), Optional.empty(), given.usage(), 0, Optional.empty())
                .imported(reader.source());
        if (!sessions.exists(session.id())) {
            switch (created.insert(session, new NewSessions.Contents.Originals(t.messages()))) {
                case TranscriptStore.Outcome.Stored _ -> { }
                case TranscriptStore.Outcome.Taken taken -> throw new LatheException.Conflict(taken.what() + " already exists; cannot import "
                        + t.file());
            }
            return entry(t, "imported", parentSourceId);
        }
        // a Lathe session's own export (decision 640) gets what the other harness added after it; anything else all of it
        List<MessageWithParts> theirs = t.added();
        int added = transcripts.merge(session, theirs);
        if (added > 0 && t.exported() > 0) {
            Usage used = theirs.stream().map(MessageWithParts::info).filter(AssistantMessage.class::isInstance).map(m -> ((AssistantMessage) m).usage())
                    .reduce(Usage.ZERO, Usage::plus);
            sessions.find(session.id()).ifPresent(s -> sessions.update(s.withUsage(used, 0, Math.max(s.updatedAt(), given.updatedAt()))));
        }
        // marked as made from the harness once anything of it is stored (one imported before sessions were marked gets
        // its mark now); its own model, title and totals kept. A Lathe session whose export was never continued is not.
        if (t.exported() == 0 || added > 0) {
            sessions.find(session.id()).filter(s -> s.importedFrom().isEmpty()).ifPresent(s -> sessions.update(s.imported(reader.source())));
        }
        return entry(t, added > 0 ? "updated" : "unchanged", parentSourceId);
    }

    /**
     * The model an imported session goes on with: the one it was recorded with when this user can call it (same
     * provider: its reasoning and signatures stay valid), else the folder's configured or default model, so the next
     * prompt works with whatever the user has; the messages keep the model that wrote them either way.
     */
    private String continueWith(String directory, String recorded, ClientEnvironment environment) {
        if (!Files.isDirectory(Path.of(directory))) return recorded;
        try {
            Project project = projects.get(directory, environment);
            try {
                project.models().resolve(recorded);
                return recorded;
            } catch (RuntimeException notUsable) {
                return project.config().model().or(() -> project.models().defaultModel()).orElse(recorded);
            }
        } catch (RuntimeException e) {
            return recorded;  // an invalid config: the session is stored all the same, a prompt will say what is wrong
        }
    }

    /** Listed only: its Lathe id given when it was imported before, so a client can offer only what is new to Lathe. */
    private HistoryImportResult.Entry found(Transcript t, Optional<String> parentSourceId) {
        Session s = t.session();
        return new HistoryImportResult.Entry(t.sourceId(), t.file(), s.directory(), s.title(), s.createdAt(), s.updatedAt(), t.messages().size(),
                sessions.exists(s.id()) ? Optional.of(s.id().value()) : Optional.empty(), "found", t.skipped(), parentSourceId);
    }

    private static HistoryImportResult.Entry entry(Transcript t, String outcome, Optional<String> parentSourceId) {
        Session s = t.session();
        Optional<String> id = Optional.of(s.id().value());
        return new HistoryImportResult.Entry(t.sourceId(), t.file(), s.directory(), s.title(), s.createdAt(), s.updatedAt(), t.messages().size(),
                id, outcome, t.skipped(), parentSourceId);
    }
}
