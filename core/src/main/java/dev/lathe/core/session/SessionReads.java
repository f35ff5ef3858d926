package dev.lathe.core.session;

import dev.lathe.core.permission.DecisionLog;
import dev.lathe.core.sandbox.SandboxLauncher;
import dev.lathe.core.context.ContextBudget;
import dev.lathe.core.context.ContextBuilder;
import dev.lathe.core.hooks.StatusLineRun;
import dev.lathe.core.git.WorkingDiff;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.report.CacheReports;
import dev.lathe.core.report.ImportedTokens;
import dev.lathe.core.report.ContextWindow;
import dev.lathe.core.session.context.CacheChoice;
import dev.lathe.core.session.context.Secrets;
import dev.lathe.core.session.context.SessionProjects;
import dev.lathe.core.session.history.Reverts;
import dev.lathe.core.session.history.SessionDiff;
import dev.lathe.core.session.inbox.PromptIntake;
import dev.lathe.core.session.journal.StreamingTexts;
import dev.lathe.core.session.turn.TurnServices;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.store.StatsStore;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CacheReport;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.ContextReport;
import dev.lathe.protocol.api.DiffPage;
import dev.lathe.protocol.api.DiffQuery;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.protocol.api.SessionUsage;
import dev.lathe.protocol.api.StatusLineText;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Todo;
import java.util.List;
import java.util.Optional;

/**
 * What a client reads of a session and changes nothing (issue 41: one concept, called by the API directly rather than
 * through {@link Sessions}): its messages as they are now (a revert's hidden ones left out, streaming text as far as
 * it got), its todos and children, and the reports on it — usage, cache, the next request's context, the files it
 * changed — and a folder's stats. Each read of a session that does not exist is a 404.
 */
public final class SessionReads {
    private final SessionStore store;
    private final MessageStore messages;
    private final TurnServices services;
    private final SessionProjects projects;
    private final StatsStore stats;

    SessionReads(SessionStore store, MessageStore messages, TurnServices services, SessionProjects projects, StatsStore stats) {
        this.store = store;
        this.messages = messages;
        this.services = services;
        this.projects = projects;
        this.stats = stats;
    }

    private Session get(SessionId id) {
        return store.find(id).orElseThrow(() -> new LatheException.NotFound("no session " + id));
    }

    /** The messages a client shows: those a revert hides are left out until unrevert. */
    public List<MessageWithParts> messages(SessionId id) {
        Session session = get(id);
        var streaming = services.journal().streamingNow(id); // before the store: see StreamingTexts
        return StreamingTexts.overlay(Reverts.visible(session, messages.bySession(id)), streaming);
    }

    /**
     * A page of the messages a client shows (see {@link #messages}), read from the store page by page: the messages a
     * revert hides are cut by bounding the page at the revert point, so no page reads the whole history.
     */
    public MessagePage messages(SessionId id, int limit, Optional<MessageId> before) {
        Session session = get(id);
        MessagePage.checkLimit(limit);
        if (before.isPresent() && !messages.contains(id, before.get())) {
            throw new LatheException.InvalidInput("no message " + before.get().value() + " in session " + id.value());
        }
        Optional<MessageId> upTo = java.util.stream.Stream.of(before, session.revert()).flatMap(Optional::stream).min(MessageId::compareTo);
        var streaming = services.journal().streamingNow(id); // before the store: see StreamingTexts
        MessagePage page = messages.page(id, limit, upTo);
        return new MessagePage(StreamingTexts.overlay(page.messages(), streaming), page.more());
    }

    public List<Todo> todos(SessionId id) {
        get(id);
        return services.todos().find(id);
    }

    /** Sessions whose {@code parentId} is {@code id}, oldest first. */
    public List<Session> children(SessionId id) {
        get(id);
        return store.children(id);
    }

    public SessionUsage usage(SessionId id) {
        Session session = get(id);
        return SessionAdmin.usage(session, messages.bySession(id));
    }

    /**
     * The status line's first line for the session (DESIGN §27): its folder's command run now with Claude Code's JSON,
     * as a hook runs (pinned, timed out, no provider keys); empty text when the folder configures none.
     */
    public StatusLineText statusLine(SessionId id) {
        Session session = get(id);
        Project project = projects.project(session);
        var line = project.config().statusLine();
        if (line.isEmpty()) return new StatusLineText("");
        java.util.OptionalInt window;
        try {
            window = java.util.OptionalInt.of(PromptIntake.resolve(project, session.model()).model().context());
        } catch (RuntimeException e) {
            window = java.util.OptionalInt.empty(); // a model no longer configured: the rest is still worth showing
        }
        List<MessageWithParts> history = messages.bySession(id);
        String json = StatusLineInput.of(session, project.repoRoot(), SessionAdmin.usage(session, history), window,
                new StatusLineInput.Work(Reverts.visible(session, history), StatusLineInput.addedDirs(project.directory(), project.config().sandbox().writable()),
                        System.currentTimeMillis()));
        return new StatusLineText(StatusLineRun.firstLine(line.get().command(), line.get().source(), line.get().pin(), project.directory(),
                project.host().variables(), Secrets.of(project, Optional.empty()), json,
                // in the session's sandbox, as the model's bash (DESIGN §30, decision 556)
                SandboxLauncher.forSession(project.config(), project.host(), project.directory(), project.repoRoot(),
                        () -> List.of(project.rulesFor(session.agent())), session.id().value(), DecisionLog.NONE),
                project.hookRules()));
    }

    /**
     * The page {@code query} asks of the session's diff (DESIGN §32): the turn's or the session's changes from the
     * snapshots (a change of the step under way counted while {@code status} is not idle), or git's uncommitted or
     * branch diff of the session's folder, which is its worktree for a worktree session.
     */
    public DiffPage diff(SessionId id, DiffQuery query, SessionStatus status) {
        Session session = get(id);
        return switch (query.scope()) {
            case TURN, SESSION -> SessionDiff.of(messages.bySession(id), projects.current(session).snapshots(), query,
                    status instanceof SessionStatus.Idle ? SessionDiff.Turn.ENDED : SessionDiff.Turn.RUNNING);
            case UNCOMMITTED, BRANCH -> WorkingDiff.of(java.nio.file.Path.of(session.directory()), query);
        };
    }

    /** The cache report over every stored step of the session, hidden (reverted) ones included: they were sent. */
    public CacheReport cache(SessionId id) {
        Session session = get(id);
        CacheReport report = CacheReports.of(id, messages.bySession(id));
        Project project = projects.project(session);
        ResolvedModel model;
        try {
            model = PromptIntake.resolve(project, session.model());
        } catch (LatheException.InvalidInput e) {
            return report; // a model no longer configured: nothing to price the cache by
        }
        return report.with(CacheChoice.of(report, model, project.config().cacheStrategy(), services.journal().followed(session)));
    }

    /** The next request of the session, built as a turn would build it now, estimated block by block. */
    public ContextReport context(SessionId id) {
        Session session = get(id);
        Project project = projects.project(session);
        ResolvedModel model = PromptIntake.resolve(project, session.model());
        List<MessageWithParts> history = Reverts.visible(session, messages.bySession(id));
        var next = services.context().build(project, project.agent(session.agent()), model, history, ContextBuilder.Step.NORMAL);
        return ContextWindow.of(id, session.model(), ContextBudget.of(model.model()), next, history);
    }

    /** Tokens, cost and cache hit ratio of the sessions of one folder, in total and per model. */
    public ProjectStats stats(String directory) {
        // the classifier's share, from the audit entries each of its decisions wrote (DESIGN §31): already in the totals
        ProjectStats counted = stats.project(Sessions.folder(directory)).with(services.decisions().autoSpent(Sessions.folder(directory)));
        if (counted.models().isEmpty()) return counted;
        ProjectStats found = ImportedTokens.marked(counted, ref -> {
            try {
                return Optional.of(projects.project(counted.directory(), ClientEnvironment.NONE).models().listedPricing(ref));
            } catch (LatheException.InvalidInput | LatheException.InvalidConfig e) {
                return Optional.empty();
            }
        });
        ProjectStats.ModelStats top = found.models().getFirst();
        try {
            Project project = projects.project(found.directory(), ClientEnvironment.NONE);
            ResolvedModel model = PromptIntake.resolve(project, top.model());
            return found.with(CacheChoice.forStats(found, model, project.config().cacheStrategy()));
        } catch (LatheException.InvalidInput | LatheException.InvalidConfig e) {
            return found; // the folder's config or its model is gone: nothing to price the cache by
        }
    }
}
