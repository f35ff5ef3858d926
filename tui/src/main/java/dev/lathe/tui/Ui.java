package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.Delivery;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tui.input.History;
import dev.lathe.tui.screen.AlternateScreen;
import dev.lathe.tui.screen.Cursor;
import dev.lathe.tui.screen.InlineScreen;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.view.AskPanel;
import dev.lathe.tui.view.BlockView;
import dev.lathe.tui.view.Picker;
import dev.lathe.tui.view.TranscriptPager;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * The terminal UI's state and its one thread: every key, server event, tick and resize arrives through one queue
 * and is handled here in order, then the screen is painted once for the whole batch. Nothing here blocks on the
 * model: prompts return at once and the turn runs in the server, so closing the terminal never stops it.
 *
 * <p>Part of the state is in records the loop alone replaces, each made by its reducer from a signal
 * ({@link PromptKeys} for the {@link PromptState}, {@link AskSignals} for the {@link AskState}, {@link ServerSignals}
 * for what a server event changes, {@link TurnState}'s own steps, {@link LoopSignals} for the {@link LoopState}); the
 * effects those return (requests, commands, redraws) are carried out here, in {@link KeyHandler} and in
 * {@link ServerEvents}, so the reducers are tested without a terminal.
 *
 * <p>The state is held in small objects of one concept each, made here and owned by the loop ({@link Composer},
 * {@link AttachedSession}, {@link ServerConnection}, {@link ModelChoice}, {@link OpenAsks}, {@link OpenViews},
 * {@link McpServers}). This is where the UI is composed: {@link ServerEvents}, {@link LiveRegion}, {@link KeyHandler},
 * {@link Commands} and the commands it dispatches to are given only the objects they read or change and a narrow host
 * for the actions, never the Ui.
 */
final class Ui implements Commands.Host, TeamPanel.Host, WorktreeCommands.Host, GoalCommand.Host, ConnectCommand.Host, TrustQuestion.Host, ServerWatch.Host,
        RewindCommand.Host, AgentsCommand.Host, SessionsCommand.Host, ModelCommands.Host, ReportCommands.Host, PermissionsCommand.Host, ServerEvents.Host,
        KeyHandler.Host {
    /** How many of the newest messages are printed when attaching to a session. */
    static final int HISTORY_SHOWN = 40;
    /** Messages the transcript view (ctrl+o) fetches at a time, newest first. */
    static final int PAGER_PAGE = 100;

    /** The server now, its client and the event streams followed there. */
    final ServerConnection server;
    final String directory;
    final InlineScreen screen;
    /** The terminal's notification (OSC 9) of an ask or a turn's end while the terminal is not focused. */
    private final TerminalNotices notices;
    final BlockingQueue<Signal> signals;
    final UiConfig config;
    final Theme theme;
    private final BlockView blocks;
    /** The message being typed, its mentions and hint, and what was queued into a running turn. */
    final Composer composer = new Composer();
    private final History history;
    /** Which session this folder's UI showed last (bare {@code lathe} opens it again). */
    private final LastShown lastShown;
    /** The open asks and whose they are: changed by {@link AskSignals}' steps. */
    private final OpenAsks asks = new OpenAsks();
    private final Commands commands;
    /** {@code /mcp}: waits for the end of a sign-in it started. */
    private final McpCommands mcpCommands;
    /** {@code /connect}: waits for the end of a sign-in it started, and takes a pasted key. */
    private final ConnectCommand connectCommand;
    private final KeyHandler keys;
    private final ServerEvents serverEvents;
    private final LiveRegion liveRegion;
    /** {@code /team}: the board of the attached session's agent team. */
    private final TeamPanel teamPanel;
    private final CompletionList completions;
    private final ServerWatch watch;

    /** The session shown, its subagents, transcript, turn and todos. */
    private final AttachedSession attached = new AttachedSession();
    /** The running answer's finished steps, not yet in the session's totals (the footer's cost during a turn). */
    private final TurnSpend spend = new TurnSpend();
    /** The agent and model of the next message, and the model's context window. */
    final ModelChoice choice;
    /** The footer's context figure. */
    final ContextFill contextFill = new ContextFill(() -> api().context(attached.session().orElseThrow().id()).estimate().total());
    /** The folder's MCP servers for the footer. */
    private final McpServers mcp;
    /** The transcript view and a picker while open: they take the keys before the prompt. */
    private final OpenViews views = new OpenViews();
    private final AlternateScreen fullScreen;
    /** The connections local-only mode refused for this folder (or the server): listed at start, then told live. */
    private final BlockedTally blocked = new BlockedTally();
    /** The spinner's frame and whether the loop ends: changed by {@link LoopSignals}' steps and the exit effects. */
    private LoopState loop = LoopState.start();

    Ui(ServerLink.Connection connection, ServerLink link, String directory, InlineScreen screen, AlternateScreen fullScreen, TerminalNotices notices,
            BlockingQueue<Signal> signals, UiConfig config, History history, StateFiles files) {
        this.lastShown = files.lastShown();
        this.fullScreen = fullScreen;
        this.notices = notices;
        this.server = new ServerConnection(connection, directory, signals);
        this.directory = directory;
        this.screen = screen;
        this.signals = signals;
        this.config = config;
        this.theme = config.theme();
        this.choice = new ModelChoice(server, directory, attached, config.model());
        this.mcp = new McpServers(server, directory);
        this.blocks = new BlockView(theme, callId -> asks.state().panel().waitingOn(callId));
        this.history = history;
        this.mcpCommands = new McpCommands(this);
        this.connectCommand = new ConnectCommand(this);
        this.teamPanel = new TeamPanel(attached, server, theme, this);
        this.commands = new Commands(this, composer, config.keys(), screen::width, new Commands.Local(new SessionsCommand(this),
                new ModelCommands(choice, files.recentModels(), composer, this), new ReportCommands(choice, contextFill, screen::width, files.exports(), this),
                new PermissionsCommand(this), new RewindCommand(this), new AgentsCommand(this), new ImportCommand(this), mcpCommands,
                new WorktreeCommands(this), new GoalCommand(this), connectCommand, teamPanel));
        // the server lists files of its projects only (issue 40): a folder becomes one with its first session
        this.completions = new CompletionList(new UiCompletionHost(composer, (query, limit) -> safe(() -> {
            ensureSession();
            return api().findFiles(directory, query, limit);
        }), new ResourceCompletion(() -> api().mcpResources(directory)), commands));
        this.watch = new ServerWatch(this, link, connection.probe());
        this.keys = new KeyHandler(config.keys(), composer, asks, views, completions, attached, server, watch, connectCommand, history, commands, fullScreen,
                theme, this);
        this.serverEvents = new ServerEvents(server, attached, composer, asks, choice, spend, contextFill, mcp, blocked, notices, theme, this);
        this.liveRegion = new LiveRegion(screen, fullScreen, theme, blocks, attached, composer, asks, views, completions, choice,
                new FooterLine(attached, choice, spend, contextFill, mcp, composer), watch, connectCommand, teamPanel,
                new StatusLineFeed(this::api, this::later), () -> loop.frame());
    }

    /** Runs until the user exits; the session goes on in the server. */
    void run(TerminalUi.Start start) throws InterruptedException {
        if (start.attach() == TerminalUi.Attach.NEW_IN_WORKTREE) resumeSaidByCaller = start.session();
        start.model().ifPresent(choice::chooseModel);
        start.agent().ifPresent(choice::chooseAgent);
        Optional<Session> existing = start.attach() == TerminalUi.Attach.LAST_SHOWN ? start.session().flatMap(this::stillListed)
                : start.session().isPresent() ? Optional.of(api().session(start.session().get()))
                : start.attach() == TerminalUi.Attach.LATEST ? latest() : Optional.empty();
        // attach sets the limit: before the session is known, model() may fall back to the whole list (the default)
        existing.ifPresentOrElse(this::attach, choice::limit);
        if (existing.isEmpty()) attached.transcript().notice(List.of(AttributedString.EMPTY,
                theme.paint(Role.MUTED, "lathe · new session in " + directory + " · " + server.label()),
                theme.paint(Role.MUTED, "/help for commands and keys")));
        for (String w : config.warnings()) attached.transcript().notice(List.of(theme.paint(Role.WARNING, "⚠ " + w)));
        mcp.load();
        loadBlocked();
        TrustQuestion.askIfNeeded(this);
        if (existing.isEmpty() && choice.model().isEmpty()) {
            // nothing names a model and no provider has a key: the first thing to do is to choose one
            notice(List.of(theme.paint(Role.WARNING, "No model yet: no \"model\" is configured and no provider has a key. Choose one below (/model),"
                    + " then set its key if it needs one.")));
            // the trust question, when it is open, comes first; /model is a keystroke away
            if (views.picker().isEmpty()) commands.models();
        }
        start.prompt().ifPresent(text -> {
            composer.state(composer.state().withText(text));
            submitSafely();
        });
        paint();
        while (!loop.exit()) {
            Signal first = signals.poll(1, TimeUnit.SECONDS);
            if (first == null) {
                serverEvents.pollStatus();
                paint();
                continue;
            }
            handle(first);
            Signal next;
            while (!loop.exit() && (next = signals.poll()) != null) handle(next);
            if (!loop.exit()) paint();
        }
    }

    private void handle(Signal signal) {
        try {
            switch (signal) {
                case Signal.Key k -> keys.on(k.key());
                case Signal.Server s -> onEvent(s.envelope().event());
                case Signal.Tick _ -> apply(LoopSignals.tick(loop));
                case Signal.Resized _ -> apply(LoopSignals.resized(loop, views.pager().isPresent()));
                case Signal.InputEnded _ -> apply(LoopSignals.inputEnded(loop));
                case Signal.Finished f -> f.followUp().run();
            }
        } catch (LatheException e) {
            error(e.getMessage());
            if (e instanceof LatheException.Unauthorized) watch.refused(e.getMessage());
        } catch (RuntimeException e) {
            // the server went away or answered nonsense: say so and stay usable; the watch finds out which
            error(e.getMessage() == null ? e.toString() : e.getMessage());
            watch.suspect();
        }
    }

    private void apply(LoopSignals.Step step) {
        loop = step.state();
        for (LoopSignals.Effect effect : step.effects()) {
            switch (effect) {
                case LoopSignals.Effect.PollStatus _ -> serverEvents.pollStatus();
                case LoopSignals.Effect.WatchTick t -> watch.tick(t.frame());
                case LoopSignals.Effect.Redraw _ -> screen.resized(live(), cursor());
            }
        }
    }

    // ---- sessions

    Optional<Session> latest() {
        return api().sessions(directory).stream()
                .filter(s -> s.parentId().isEmpty() && s.archivedAt().isEmpty())
                .max(java.util.Comparator.comparingLong(Session::updatedAt));
    }

    /** Session {@code id}, when this folder still lists it (not deleted, not archived). */
    private Optional<Session> stillListed(SessionId id) {
        return api().sessions(directory).stream().filter(s -> s.id().equals(id) && s.parentId().isEmpty() && s.archivedAt().isEmpty()).findFirst();
    }

    /** The session the UI last showed in this folder, which a bare {@code lathe} opens again. */
    Optional<SessionId> lastShown() { return lastShown.of(directory); }

    @Override
    public void attach(Session s) {
        attached.attach(s);
        if (s.parentId().isEmpty()) lastShown.remember(directory, s.id());
        server.follow(s);
        spend.clear();
        SessionStatus now = api().status(s.id());
        boolean busy = !(now instanceof SessionStatus.Idle);
        // the newest page only: a day-long session opens as fast as a short one (the pager, ctrl+o, pages back)
        var newest = api().messages(s.id(), HISTORY_SHOWN, Optional.empty());
        List<MessageWithParts> messages = newest.messages();
        attached.turn(attached.turn().attached(now, ServerSignals.since(messages, System.currentTimeMillis())));
        Optional<String> owner = SessionOwners.of(api()).of(s, List.of(), api());
        Optional<String> watching = owner.filter(o -> !SessionOwners.mayAct(api(), o));
        asks.state(AskSignals.opened(asks.state(), watching));
        attached.transcript().notice(List.of(AttributedString.EMPTY, new AttributedStringBuilder()
                .styled(theme.style(Role.ACCENT), "lathe")
                .styled(theme.style(Role.MUTED), " · " + (s.title().isBlank() ? "untitled" : s.title()) + " · " + s.id().value() + " · " + s.directory()
                        + owner.map(o -> " · owner " + o).orElse("")
                        + s.parentId().map(p -> " · subagent of " + p.value() + " (/sessions to go back)").orElse(""))
                .toAttributedString()));
        watching.ifPresent(o -> attached.transcript().notice(List.of(theme.paint(Role.MUTED,
                "You are watching " + o + "'s session: only " + o + " or an admin can prompt it or answer its asks."))));
        // its tools never run in a folder that is gone: the server makes the worktree again at the next message (issue 53)
        s.worktree().filter(t -> t.removedAt().isPresent()).ifPresent(t -> attached.transcript().notice(List.of(theme.paint(Role.WARNING,
                t.branch().isEmpty() ? "This session's worktree " + t.name() + " was removed, and only its WorktreeCreate hook can make it again:"
                        + " start a new session with lathe --worktree."
                        : "This session's worktree " + t.name() + " was removed. Your next message makes it again on branch " + t.branch()
                        + ", from the main checkout " + t.mainCheckout() + "."))));
        attached.transcript().load(messages, busy, HISTORY_SHOWN, newest.more());
        spend.reload(messages);
        contextFill.reset();
        for (MessageWithParts m : messages) for (Part p : m.parts()) contextFill.part(p);
        contextFill.refresh();
        attached.todos(api().todos(s.id()));
        choice.limit();
        api().children(s.id()).forEach(c -> attached.child(c.id()));
        loadAsks(s.id());
    }

    /** The open asks of the session and its subagents, as the server has them now (on someone else's: said, not offered). */
    @Override
    public void loadAsks(SessionId id) {
        var open = new ArrayList<AskPanel.Ask>();
        api().permissions(directory).stream().filter(p -> attached.inFamily(p.sessionId()))
                .forEach(p -> open.add(new AskPanel.Ask.Permission(p, !p.sessionId().equals(id))));
        api().questions(directory).stream().filter(q -> attached.inFamily(q.sessionId()))
                .forEach(q -> open.add(new AskPanel.Ask.Questions(q, !q.sessionId().equals(id))));
        asks(AskSignals.listed(asks.state(), open));
    }

    /** An asks step: its state becomes the loop's, its effects run (see {@link KeyHandler#apply(AskSignals.Step)}). */
    private void asks(AskSignals.Step step) { keys.apply(step); }

    @Override
    public void askEffect(AskSignals.Effect effect) { keys.run(effect); }


    /** A new session is made lazily, at the first message, so opening the UI leaves no empty sessions behind. */
    @Override
    public void newSession() {
        attached.detach();
        asks.state(AskSignals.opened(asks.state(), Optional.empty()));
        spend.clear();
        contextFill.reset();
        attached.transcript().notice(List.of(AttributedString.EMPTY, theme.paint(Role.MUTED, "lathe · new session in " + directory)));
    }

    @Override
    public Session ensureSession() {
        if (attached.session().isEmpty()) {
            Session created = api().createSession(new CreateSessionRequest(directory, Optional.empty(), choice.agentChosen(), choice.modelChosen(), Optional.empty()));
            attached.created(created);
            lastShown.remember(directory, created.id());
            spend.clear();
            choice.limit();
        }
        return attached.session().get();
    }

    /** Fetches the models again when next needed (a key was saved: its provider's models are usable now). */
    @Override
    public void refreshModels() { choice.refresh(); }

    boolean busy() { return attached.busy(); }

    // ---- sending

    void submit() { keys.submit(); }

    /** A message the input held: sent, or (refused: no model, no key, the server said no) put back to send again. */
    @Override
    public void send(String text, Delivery whenBusy) {
        try {
            prompt(text, whenBusy);
        } catch (RuntimeException e) {
            composer.offer(text);
            if (choice.model().isEmpty() && views.picker().isEmpty()) commands.models();
            throw e;
        }
    }

    /** Submits what the input holds, showing a failure as {@link #handle} does (the start-up prompt). */
    private void submitSafely() {
        try {
            submit();
        } catch (RuntimeException e) {
            error(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /**
     * {@code !command} (DESIGN §27): {@code POST /sessions/{id}/shell}, the user's own command with the sandbox the
     * session's commands have; off the UI thread, since it blocks until the command ends. Its part streams into the
     * transcript through the session's events; the next message's request carries it.
     */
    @Override
    public void shell(String command) {
        Session s = ensureSession();
        Thread.ofVirtual().name("lathe-shell").start(() -> {
            try {
                api().shell(s.id(), ShellRequest.of(command));
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                later(() -> error("!" + command + ": " + message));
            }
        });
    }

    @Override
    public void prompt(String text) { prompt(text, Delivery.steer); }

    /** Sends {@code text}; to a busy session it is delivered as {@code whenBusy} (Enter steers, Tab queues). */
    private void prompt(String text, Delivery whenBusy) {
        Session s = ensureSession();
        var parts = new ArrayList<InputPart>();
        parts.add(new InputPart.Text(text));
        for (String path : composer.takeMentioned()) {
            if (text.contains("@" + path)) {
                String abs = path.startsWith("/") ? path : s.directory() + "/" + path;
                parts.add(new InputPart.File("text/plain", path, "file://" + abs));
            }
        }
        boolean wasIdle = !busy();
        attached.turn(attached.turn().sending(System.currentTimeMillis()));  // before the request: its events may come before it returns
        try {
            // Enter while the agent works steers: the running turn reads it at its next step; Tab queues it after the
            // turn (DESIGN §22; Esc stops)
            var request = new PromptRequest(parts, choice.agentChosen(), choice.modelChosen());
            var accepted = api().prompt(s.id(), wasIdle ? request : request.delivered(whenBusy));
            if (!wasIdle) composer.queued(accepted.messageId(), text);
            if (!wasIdle && accepted.queued()) notice(whenBusy == Delivery.queue ? "queued: runs after the running turn" : "steered into the running turn");
            // the session's own model could not be used here (an imported session): which one goes on, and why
            accepted.notice().ifPresent(this::notice);
        } catch (RuntimeException e) {
            if (wasIdle) attached.turn(attached.turn().refused());
            throw e;
        }
    }

    @Override
    public void abort() {
        if (attached.session().isEmpty() || !busy()) return;
        attached.turn(attached.turn().aborting());
        api().abort(attached.session().get().id());
    }

    @Override
    public void exit() { loop = loop.exiting(); }

    @Override
    public void restartServer() { watch.restart(); }

    @Override
    public void redraw() { screen.resized(live(), cursor()); }

    // ---- events

    void onEvent(Event event) {
        serverEvents.onEvent(event);
        teamPanel.onEvent(event);
    }

    @Override
    public boolean commandFinished(Event event) { return mcpCommands.finished(event) || connectCommand.finished(event); }

    /** What local-only mode refused before this UI attached: the footer says so as the live events do. */
    @Override
    public void loadBlocked() {
        blocked.listed(api(), directory).ifPresent(composer::hint);
    }

    static long context(Usage u) { return u.input() + u.cacheRead() + u.cacheWrite() + u.output(); }

    // ---- output

    @Override
    public LatheApi api() { return server.api(); }

    @Override
    public String directory() { return directory; }

    @Override
    public Theme theme() { return theme; }

    @Override
    public Optional<Session> session() { return attached.session(); }
    @Override public void offerInput(String text, String hint) { composer.offer(text, hint); }

    @Override
    public void later(Runnable followUp) { signals.add(new Signal.Finished(followUp)); }

    @Override
    public void notice(String text) { attached.transcript().notice(List.of(AttributedString.EMPTY, new AttributedString(text))); }

    @Override
    public void notice(List<AttributedString> lines) {
        var all = new ArrayList<AttributedString>();
        all.add(AttributedString.EMPTY);
        all.addAll(lines);
        attached.transcript().notice(all);
    }

    @Override
    public void error(String text) { attached.transcript().notice(List.of(AttributedString.EMPTY, theme.paint(Role.ERROR, "✗ " + text))); }

    void paint() { liveRegion.paint(); }

    List<AttributedString> live() { return liveRegion.live(); }

    Optional<Cursor> cursor() { return liveRegion.cursor(); }

    // ---- the transcript view

    /** Opens the transcript view over the session as the server stored it, its newest page first. */
    @Override
    public void openTranscript() {
        if (attached.session().isEmpty()) {
            composer.hint("nothing to show yet: the transcript view opens once the session has a message");
            return;
        }
        SessionId id = attached.session().get().id();
        views.openPager(new TranscriptPager(id, api().messages(id, PAGER_PAGE, Optional.empty()),
                first -> api().messages(id, PAGER_PAGE, Optional.of(first)), BlockView.unabridged(theme)));
        completions.close();
        fullScreen.open();
    }

    /** Back to the inline UI, redrawn where it was. */
    @Override
    public void closeTranscript() {
        if (views.pager().isEmpty()) return;
        views.closePager();
        fullScreen.close();
        screen.resized(live(), cursor());
    }


    static <T> List<T> safe(java.util.function.Supplier<List<T>> call) {
        try {
            return call.get();
        } catch (LatheException e) {
            return List.of();
        }
    }

    @Override
    public void openPicker(Picker<?> p, java.util.function.Consumer<Object> onChoice) { openPicker(PickerState.of(p, onChoice)); }

    @Override
    public void openPicker(PickerState open) {
        views.picker(Optional.of(open));
        completions.close();
    }

    /** Subscribes to the events of the whole folder: subagents of the attached session ask permissions too. */
    void subscribe() { server.subscribe(); }

    /**
     * The server is back (or another one answers in its place, the daemon started again): follow its events and bring
     * the session up to date from what it stored.
     *
     * @throws RuntimeException when the new server cannot be subscribed to (then nothing changed)
     */
    @Override
    public void switchServer(ServerLink.Connection fresh) {
        server.switchTo(fresh);
        choice.refresh();
        serverEvents.resync();
        mcp.load();
        loadBlocked();
        attached.transcript().notice(List.of(AttributedString.EMPTY, theme.paint(Role.SUCCESS, "⟳ Reconnected to the server at " + server.label())));
    }

    /** The server was stopped with {@code lathe stop}: say so once, and how to go on; it is not started behind the user's back. */
    @Override
    public void serverStoppedOnPurpose() {
        attached.transcript().notice(List.of(AttributedString.EMPTY, theme.paint(Role.WARNING,
                "■ The server was stopped (lathe stop). Press Enter to start it again, or Ctrl+D to exit; the session is saved.")));
    }

    /** Ends the subscription and the client. */
    void disconnect() { server.close(); }

    /** The session made ahead by {@code lathe --worktree}, whose resume hint its caller prints (see {@link #farewell}). */
    private Optional<SessionId> resumeSaidByCaller = Optional.empty();

    /** The last lines left in the terminal when the UI ends. */
    List<AttributedString> farewell() {
        var out = new ArrayList<AttributedString>();
        out.add(theme.paint(Role.BORDER, "─".repeat(Math.max(1, screen.width()))));
        attached.session().ifPresent(s -> {
            // the session made ahead in a new worktree: whether it can be resumed is known only once its worktree ended
            // (an unchanged one goes, and with it a session nothing was said in), so the caller says it then
            boolean callerSays = resumeSaidByCaller.filter(s.id()::equals).isPresent();
            String resume = callerSays ? "" : "Resume with: lathe attach --session " + s.id().value();
            String line = TurnAtExit.of(watch, api(), s.id()).sentence() + resume;
            if (!line.isBlank()) out.add(theme.paint(Role.MUTED, line.strip()));
        });
        return out;
    }
}
