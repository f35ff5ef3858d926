package dev.lathe.tui;

import dev.lathe.protocol.api.PermissionMode;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tui.input.History;
import dev.lathe.tui.screen.InlineScreen;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jline.utils.AttributedString;

/**
 * The terminal UI's one thread, and where it is composed: every key, server event, tick and resize arrives through one
 * queue and is handled here in order, then the screen is painted once for the whole batch. Nothing here blocks on the
 * model: prompts return at once and the turn runs in the server, so closing the terminal never stops it.
 *
 * <p>The state is all in one {@link UiState}, made first; the effects (the server, the terminal, the files kept, the
 * follow-ups on this thread) all go through one port, {@link UiEffects}, carried out by {@link UiActions} on that state.
 * The parts are then made in the order they need each other, each given the state, the port (as the narrow view it
 * declares) and the parts made before it, never the Ui: {@link Commands} (which makes the slash commands),
 * {@link CompletionList}, {@link ServerEvents}, {@link ServerWatch}, {@link LiveRegion} (which paints) and
 * {@link KeyHandler}. Part of the state is in records the loop alone replaces, each made by its reducer from a signal
 * ({@link PromptKeys}, {@link AskSignals}, {@link ServerSignals}, {@link TurnState}, {@link LoopSignals}); the effects
 * those return are carried out by the parts and the port, so the reducers are tested without a terminal.
 */
final class Ui {
    private final UiState state;
    private final UiActions actions;
    private final ServerConnection server;
    private final InlineScreen screen;
    private final BlockingQueue<Signal> signals;
    private final Commands commands;
    private final KeyHandler keys;
    private final ServerEvents serverEvents;
    private final LiveRegion liveRegion;
    private final ServerWatch watch;

    Ui(ServerLink.Connection connection, ServerLink link, String directory, UiTerminal terminal, UiConfig config, History history, StateFiles files) {
        this.screen = terminal.screen();
        this.signals = terminal.signals();
        this.server = new ServerConnection(connection, directory, signals);
        this.state = new UiState(server, directory, config);
        this.actions = new UiActions(state, server, terminal.fullScreen(), terminal.notices(), signals, files.lastShown());
        this.commands = new Commands(actions, state, files, server, screen::width);
        // the server lists files of its projects only (issue 40): a folder becomes one with its first session
        var completions = new CompletionList(new UiCompletionHost(state.composer(), (query, limit) -> safe(() -> {
            actions.ensureSession();
            return actions.api().findFiles(directory, query, limit);
        }), new ResourceCompletion(() -> actions.api().mcpResources(directory)), commands), state.views());
        this.serverEvents = new ServerEvents(state, server, commands::finished, actions);
        this.watch = new ServerWatch(actions, serverEvents, link, connection.probe());
        this.liveRegion = new LiveRegion(state, screen, terminal.fullScreen(), watch, commands.connect(), commands.team(), commands.diff(),
                new StatusLineFeed(actions::api, actions::later));
        this.keys = new KeyHandler(state, completions, watch, commands.connect(), history, commands, liveRegion, actions);
    }

    /** Runs until the user exits; the session goes on in the server. */
    void run(TerminalUi.Start start) throws InterruptedException {
        ModelChoice choice = state.choice();
        AttachedSession attached = state.attached();
        Theme theme = state.theme();
        if (start.attach() == TerminalUi.Attach.NEW_IN_WORKTREE) state.resumeSaidByCaller(start.session());
        start.model().ifPresent(choice::chooseModel);
        start.agent().ifPresent(choice::chooseAgent);
        if (start.approvals() == TerminalUi.Approvals.AUTO) choice.chooseMode(PermissionMode.AUTO);
        Optional<Session> existing = start.attach() == TerminalUi.Attach.LAST_SHOWN ? start.session().flatMap(this::stillListed)
                : start.session().isPresent() ? Optional.of(actions.api().session(start.session().get()))
                : start.attach() == TerminalUi.Attach.LATEST ? latest() : Optional.empty();
        // attach sets the limit: before the session is known, model() may fall back to the whole list (the default)
        existing.ifPresentOrElse(actions::attach, choice::limit);
        if (existing.isEmpty()) attached.transcript().notice(List.of(AttributedString.EMPTY,
                theme.paint(Role.MUTED, "lathe · new session in " + state.directory() + " · " + server.label()),
                theme.paint(Role.MUTED, "/help for commands and keys")));
        for (String w : state.config().warnings()) attached.transcript().notice(List.of(theme.paint(Role.WARNING, "⚠ " + w)));
        state.mcp().load();
        actions.loadBlocked();
        TrustQuestion.askIfNeeded(actions);
        if (existing.isEmpty() && choice.model().isEmpty()) {
            // nothing names a model and no provider has a key: the first thing to do is to choose one
            actions.notice(List.of(theme.paint(Role.WARNING, "No model yet: no \"model\" is configured and no provider has a key. Choose one below (/model),"
                    + " then set its key if it needs one.")));
            // the trust question, when it is open, comes first; /model is a keystroke away
            if (state.views().picker().isEmpty()) commands.models();
        }
        start.prompt().ifPresent(text -> {
            state.composer().state(state.composer().state().withText(text));
            submitSafely();
        });
        paint();
        while (!state.loop().exit()) {
            Signal first = signals.poll(1, TimeUnit.SECONDS);
            if (first == null) {
                serverEvents.pollStatus();
                paint();
                continue;
            }
            handle(first);
            Signal next;
            while (!state.loop().exit() && (next = signals.poll()) != null) handle(next);
            if (!state.loop().exit()) paint();
        }
    }

    private void handle(Signal signal) {
        try {
            switch (signal) {
                case Signal.Key k -> keys.on(k.key());
                case Signal.Server s -> onEvent(s.envelope().event());
                case Signal.Tick _ -> apply(LoopSignals.tick(state.loop()));
                case Signal.Resized _ -> apply(LoopSignals.resized(state.loop(), state.views().pager().isPresent()));
                case Signal.InputEnded _ -> apply(LoopSignals.inputEnded(state.loop()));
                case Signal.Finished f -> f.followUp().run();
            }
        } catch (LatheException e) {
            actions.error(e.getMessage());
            if (e instanceof LatheException.Unauthorized) watch.refused(e.getMessage());
        } catch (RuntimeException e) {
            // the server went away or answered nonsense: say so and stay usable; the watch finds out which
            actions.error(e.getMessage() == null ? e.toString() : e.getMessage());
            watch.suspect();
        }
    }

    private void apply(LoopSignals.Step step) {
        state.loop(step.state());
        for (LoopSignals.Effect effect : step.effects()) {
            switch (effect) {
                case LoopSignals.Effect.PollStatus _ -> serverEvents.pollStatus();
                case LoopSignals.Effect.WatchTick t -> watch.tick(t.frame());
                case LoopSignals.Effect.Redraw _ -> liveRegion.redraw();
            }
        }
    }

    private void onEvent(Event event) {
        serverEvents.onEvent(event);
        commands.team().onEvent(event);
        commands.diff().onEvent(event);
    }

    // ---- sessions

    private Optional<Session> latest() {
        return actions.api().sessions(state.directory()).stream()
                .filter(s -> s.parentId().isEmpty() && s.archivedAt().isEmpty())
                .max(Comparator.comparingLong(Session::updatedAt));
    }

    /** Session {@code id}, when this folder still lists it (not deleted, not archived). */
    private Optional<Session> stillListed(SessionId id) {
        return actions.api().sessions(state.directory()).stream().filter(s -> s.id().equals(id) && s.parentId().isEmpty() && s.archivedAt().isEmpty())
                .findFirst();
    }

    /** The session the UI last showed in this folder, which a bare {@code lathe} opens again. */
    Optional<SessionId> lastShown() { return actions.lastShown(); }

    /** Submits what the input holds, showing a failure as {@link #handle} does (the start-up prompt). */
    private void submitSafely() {
        try {
            keys.submit();
        } catch (RuntimeException e) {
            actions.error(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    static long context(Usage u) { return u.input() + u.cacheRead() + u.cacheWrite() + u.output(); }

    /** A list the server gives, or none when it cannot be asked. */
    static <T> List<T> safe(Supplier<List<T>> call) {
        try {
            return call.get();
        } catch (LatheException e) {
            return List.of();
        }
    }

    // ---- the terminal

    private void paint() { liveRegion.paint(); }

    /** A muted line in the transcript, on the UI's thread (the late "new version" notice). */
    void noticeLater(String line) { actions.later(() -> actions.notice(List.of(state.theme().paint(Role.MUTED, line)))); }

    /** Back to the inline UI from the transcript view, when it is open. */
    void closeTranscript() { liveRegion.closeTranscript(); }

    /** Subscribes to the events of the whole folder: subagents of the attached session ask permissions too. */
    void subscribe() { server.subscribe(); }

    /** Ends the subscription and the client. */
    void disconnect() { server.close(); }

    /** The last lines left in the terminal when the UI ends. */
    List<AttributedString> farewell() {
        var out = new ArrayList<AttributedString>();
        Theme theme = state.theme();
        out.add(theme.paint(Role.BORDER, "─".repeat(Math.max(1, screen.width()))));
        state.session().ifPresent(s -> {
            // the session made ahead in a new worktree: whether it can be resumed is known only once its worktree ended
            // (an unchanged one goes, and with it a session nothing was said in), so the caller says it then
            boolean callerSays = state.resumeSaidByCaller().filter(s.id()::equals).isPresent();
            String resume = callerSays ? "" : "Resume with: lathe attach --session " + s.id().value();
            String line = TurnAtExit.of(watch, actions.api(), s.id()).sentence() + resume;
            if (!line.isBlank()) out.add(theme.paint(Role.MUTED, line.strip()));
        });
        return out;
    }
}
