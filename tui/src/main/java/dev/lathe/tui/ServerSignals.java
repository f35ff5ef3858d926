package dev.lathe.tui;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptNotRun;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.view.AskPanel;
import dev.lathe.tui.view.Transcript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The server events' reducer: an event (or what a catch-up fetched) and the {@link State} before give the state after
 * and the {@link Effect}s the UI's loop then carries out ({@link ServerEvents}), in order. Nothing here calls the
 * server, writes to the terminal or reads the clock, so a test streams a turn's events through it without either.
 *
 * <p>The state is what the decisions read: the attached session, its family, turn and todos, the asks, the input and
 * the messages queued into the turn, the refusals of local-only mode; all values the loop already holds, so a step
 * copies nothing per event. What keeps state too large to copy on each event (the transcript, the footer's tallies of
 * cost and context, the MCP servers' summary) is fed by effects: the reducer decides what reaches them.
 */
final class ServerSignals {
    /**
     * What the server events decide on.
     *
     * @param family the attached session and the subagents it started (unmodifiable)
     * @param queued the messages this UI queued into a running turn, by id (unmodifiable)
     * @param blocked the refusals of local-only mode this UI told of (unmodifiable, see {@link BlockedTally})
     */
    record State(Optional<Session> session, Set<SessionId> family, TurnState turn, List<Todo> todos, AskState asks, PromptState prompt,
            Map<MessageId, String> queued, Set<String> blocked) {
        boolean isMain(SessionId id) { return session.map(s -> s.id().equals(id)).orElse(false); }

        /** Whether {@code folder} is the attached session's (any folder before a session is attached). */
        boolean ownFolder(String folder) { return session.map(s -> s.directory().equals(folder)).orElse(true); }

        State withSession(Session s) { return new State(Optional.of(s), family, turn, todos, asks, prompt, queued, blocked); }

        State withFamily(Set<SessionId> now) { return new State(session, now, turn, todos, asks, prompt, queued, blocked); }

        State withTurn(TurnState now) { return new State(session, family, now, todos, asks, prompt, queued, blocked); }

        State withTodos(List<Todo> now) { return new State(session, family, turn, now, asks, prompt, queued, blocked); }

        State withAsks(AskState now) { return new State(session, family, turn, todos, now, prompt, queued, blocked); }

        State withPrompt(PromptState now) { return new State(session, family, turn, todos, asks, now, queued, blocked); }

        State withQueued(Map<MessageId, String> now) { return new State(session, family, turn, todos, asks, prompt, now, blocked); }

        State withBlocked(Set<String> now) { return new State(session, family, turn, todos, asks, prompt, queued, now); }
    }

    /** What the loop does after a step, in the order given. */
    sealed interface Effect {
        /** The transcript draws the event (a message, a part, a status). */
        record Show(Event event) implements Effect {}

        /** A line in the transcript, after an empty one. */
        record Notice(Role role, String line) implements Effect {}

        /** A failure in the transcript, marked as one. */
        record Error(String text) implements Effect {}

        /** The terminal's notification (OSC 9) of an ask or a turn's end, when the terminal is not focused. */
        record Notify(Event event, String title) implements Effect {}

        /** An ask's effect (that an ask waits for a watched session's owner), carried out as the keys' are. */
        record Ask(AskSignals.Effect effect) implements Effect {}

        /** Events were missed: fetch the session's stored state, then {@link #resynced}. */
        record Resync() implements Effect {}

        /** Fetch the folder's MCP servers again ({@code GET /mcp}). */
        record LoadMcp() implements Effect {}

        /** One MCP server's new status, into the footer's summary. */
        record McpChanged(McpServerInfo server) implements Effect {}

        /** Fetch what local-only mode refused for this folder again. */
        record LoadBlocked() implements Effect {}

        /** Fetch the open asks of the session and its subagents again. */
        record LoadAsks(SessionId session) implements Effect {}

        /** A sign-in a slash command started ended: the command says how. */
        record CommandFinished(Event event) implements Effect {}

        /** The session's model changed: its context window is looked up again. */
        record LimitModels() implements Effect {}

        /** A part, in order, for the footer's context figure. */
        record ContextPart(Part part) implements Effect {}

        /** A step of the running answer finished: the context figure refreshed, the step's cost counted. */
        record StepSpent(Part.StepFinish step) implements Effect {}

        /** An answer was written: its figures counted until the session's totals ({@code sessionTokens} now) show it. */
        record AnswerSpent(AssistantMessage answer, long sessionTokens) implements Effect {}

        /** The session's totals changed: the ended answers they include are no longer added to them. */
        record Settled(long sessionTokens) implements Effect {}

        /** The running answers counted again from the newest stored messages. */
        record ReloadSpend(List<MessageWithParts> messages) implements Effect {}
    }

    record Step(State state, List<Effect> effects) {}

    private ServerSignals() {}

    /** An event of the server, at {@code now} by this client's clock (a turn that starts is counted from it). */
    static Step on(State state, Event event, long now) {
        var effects = new ArrayList<Effect>(2);
        State next = state;
        if (event instanceof Event.SessionCreated c && c.session().parentId().filter(state.family()::contains).isPresent()) {
            next = next.withFamily(AttachedSession.with(next.family(), c.session().id()));
        }
        if (event instanceof Event.Resync) return new Step(next, List.of(new Effect.Resync(), new Effect.LoadMcp(), new Effect.LoadBlocked()));
        if (event instanceof Event.McpStatusChanged m) return new Step(next, List.of(new Effect.McpChanged(m.server())));
        // an edit may have removed servers, which no status event reports
        if (event instanceof Event.ConfigUpdated u && next.ownFolder(u.folder())) effects.add(new Effect.LoadMcp());
        Optional<State> configured = configNotice(next, event, effects);
        if (configured.isPresent()) return new Step(configured.get(), effects);
        if (event instanceof Event.McpSignInFinished || event instanceof Event.ProviderSignInFinished) {
            effects.add(new Effect.CommandFinished(event));
            return new Step(next, effects);
        }
        Optional<SessionId> of = Event.sessionOf(event);
        if (of.isEmpty() || !next.family().contains(of.get())) return new Step(next, effects);
        boolean main = next.isMain(of.get());
        Optional<AskSignals.Step> asked = switch (event) {
            case Event.PermissionAsked a -> Optional.of(AskSignals.arrived(next.asks(), new AskPanel.Ask.Permission(a.request(), !main)));
            case Event.QuestionAsked q -> Optional.of(AskSignals.arrived(next.asks(), new AskPanel.Ask.Questions(q.request(), !main)));
            case Event.PermissionReplied r -> Optional.of(AskSignals.resolved(next.asks(), r.permissionId().value()));
            case Event.QuestionReplied r -> Optional.of(AskSignals.resolved(next.asks(), r.questionId().value()));
            default -> Optional.empty();
        };
        if (asked.isPresent()) {
            next = next.withAsks(asked.get().state());
            for (AskSignals.Effect e : asked.get().effects()) effects.add(new Effect.Ask(e));
        }
        // a subagent's ask is the user's too; only the attached session's turn ends are
        if (main || event instanceof Event.PermissionAsked || event instanceof Event.QuestionAsked) {
            effects.add(new Effect.Notify(event, next.session().map(Session::title).orElse("")));
        }
        if (!main) return new Step(next, effects);
        if (event instanceof Event.MessageRemoved r) next = withdrawn(next, r.messageId(), effects);
        // the stopped turn left a queued message not run (it stays in the transcript): its text comes back to the input
        if (event instanceof Event.PartUpdated u && u.part() instanceof Part.Text t && t.synthetic() && PromptNotRun.marks(List.of(t))) {
            next = withdrawn(next, t.messageId(), effects);
        }
        switch (event) {
            case Event.SessionUpdated u -> {
                boolean modelChanged = next.session().map(s -> !s.model().equals(u.session().model())).orElse(true);
                next = next.withSession(u.session());
                effects.add(new Effect.Settled(u.session().usage().total()));
                if (modelChanged) effects.add(new Effect.LimitModels());
            }
            case Event.SessionStatusChanged s -> next = next.withTurn(next.turn().statusChanged(s.status(), now));
            case Event.TodoUpdated t -> next = next.withTodos(t.todos());
            case Event.PartUpdated p -> {
                effects.add(new Effect.ContextPart(p.part()));
                if (p.part() instanceof Part.StepFinish f) effects.add(new Effect.StepSpent(f));
            }
            case Event.MessageUpdated m when m.info() instanceof AssistantMessage a ->
                    effects.add(new Effect.AnswerSpent(a, next.session().map(s -> s.usage().total()).orElse(0L)));
            default -> { }
        }
        effects.add(new Effect.Show(event));
        return new Step(next, effects);
    }

    /**
     * What a catch-up after missed events fetched (the server's replay ring no longer had them): the live state brought
     * up to date from the stored one, without printing again what is already in the scrollback.
     *
     * @param newest the newest stored messages, oldest first
     */
    static Step resynced(State state, Session stored, List<MessageWithParts> newest, SessionStatus status, List<Todo> todos, long now) {
        var effects = new ArrayList<Effect>();
        effects.add(new Effect.ReloadSpend(newest));
        for (MessageWithParts m : newest) {
            effects.add(new Effect.Show(new Event.MessageUpdated(m.info())));
            for (Part p : m.parts()) effects.add(new Effect.Show(new Event.PartUpdated(p)));
        }
        TurnState turn = state.turn().resynced(status, since(newest, now));
        effects.add(new Effect.Show(new Event.SessionStatusChanged(stored.id(), turn.status())));
        effects.add(new Effect.LoadAsks(stored.id()));
        return new Step(state.withSession(stored).withTurn(turn).withTodos(todos), List.copyOf(effects));
    }

    /** Whether the turn's status is asked now and then: a missed idle event must not leave the spinner running forever. */
    static boolean polls(State state) { return state.session().isPresent() && state.turn().busy(); }

    /** The status the server gave when asked (see {@link #polls}). */
    static Step polled(State state, SessionStatus now) {
        List<Effect> effects = now instanceof SessionStatus.Idle && state.session().isPresent()
                ? List.of(new Effect.Show(new Event.SessionStatusChanged(state.session().get().id(), now))) : List.of();
        return new Step(state.withTurn(state.turn().withStatus(now)), effects);
    }

    /** The running turn's start by the server's clock, never in this client's future ({@code now}). */
    static long since(List<MessageWithParts> messages, long now) {
        return Math.min(now, Transcript.turnStart(messages).orElse(now));
    }

    /** A queued message the server withdrew when the turn was aborted: back into the input after what is typed, so it is not lost. */
    private static State withdrawn(State state, MessageId id, List<Effect> effects) {
        String text = state.queued().get(id);
        if (text == null) return state;
        var queued = new HashMap<>(state.queued());
        queued.remove(id);
        String typed = state.prompt().text();
        effects.add(new Effect.Notice(Role.MUTED, "↩ Not sent to the model: the turn was interrupted; your queued message is back in the input"));
        return state.withQueued(Map.copyOf(queued)).withPrompt(state.prompt().withText(typed.isBlank() ? text : typed.stripTrailing() + "\n" + text));
    }

    /**
     * A config file of this session's folder changed, or local-only mode refused a connection: shown at once, so an
     * edit's error is never a surprise later.
     *
     * @return the state after, when the event was one of these
     */
    private static Optional<State> configNotice(State state, Event event, List<Effect> effects) {
        switch (event) {
            case Event.ConfigErrored e when state.ownFolder(e.folder()) -> effects.add(new Effect.Error("config: " + e.message()
                    + " (a running turn keeps the last good config; new prompts are refused until it is fixed)"));
            case Event.ConfigUpdated u when state.ownFolder(u.folder()) -> effects.add(new Effect.Notice(Role.MUTED, "config reloaded"));
            // local-only mode refused a connection (each once): said in the transcript and, until the next key, the footer
            case Event.NetworkBlocked b when b.folder().isEmpty() || state.ownFolder(b.folder()) -> {
                Set<String> blocked = BlockedTally.with(state.blocked(), BlockedTally.key(b.folder(), b.host(), b.by()));
                if (blocked == state.blocked()) return Optional.of(state);
                effects.add(new Effect.Notice(Role.WARNING, "⊘ local-only: blocked " + b.by() + " → " + b.host() + " (nothing was sent)"));
                return Optional.of(state.withBlocked(blocked).withPrompt(state.prompt().withHint(BlockedTally.hint(blocked.size()))));
            }
            default -> { return Optional.empty(); }
        }
        return Optional.of(state);
    }
}
