package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import dev.lathe.tui.text.Theme;
import java.util.Optional;

/**
 * The terminal UI's state, all of it in one place: the session shown, the message being typed, the open asks and views,
 * the model chosen, the footer's figures and the loop's own. Made once per UI, before anything that reads or changes it,
 * and handed whole to the parts that draw it ({@link LiveRegion}), change it from keys ({@link KeyHandler}) and from
 * server events ({@link ServerEvents}), and carry out the UI's actions ({@link UiActions}); all of them run on the UI's
 * one thread, so nothing here is locked. What this state cannot do itself (talk to the server, the terminal, files)
 * goes through {@link UiEffects}.
 */
final class UiState {
    private final String directory;
    private final UiConfig config;
    /** The message being typed, its mentions and hint, and what was queued into a running turn. */
    private final Composer composer = new Composer();
    /** The session shown, its subagents, transcript, turn and todos. */
    private final AttachedSession attached = new AttachedSession();
    /** The open asks and whose they are: changed by {@link AskSignals}' steps. */
    private final OpenAsks asks = new OpenAsks();
    /** The transcript view, a picker and the completion list while open: they take the keys before the prompt. */
    private final OpenViews views = new OpenViews();
    /** The running answer's finished steps, not yet in the session's totals (the footer's cost during a turn). */
    private final TurnSpend spend = new TurnSpend();
    /** The connections local-only mode refused for this folder (or the server): listed at start, then told live. */
    private final BlockedTally blocked = new BlockedTally();
    /** The agent and model of the next message, and the model's context window. */
    private final ModelChoice choice;
    /** The footer's context figure. */
    private final ContextFill contextFill;
    /** The folder's MCP servers for the footer. */
    private final McpServers mcp;
    /** The spinner's frame and whether the loop ends: changed by {@link LoopSignals}' steps and the exit effects. */
    private LoopState loop = LoopState.start();
    /** The session made ahead by {@code lathe --worktree}, whose resume hint its caller prints. */
    private Optional<SessionId> resumeSaidByCaller = Optional.empty();

    /** The state of a UI in {@code directory}; what it fetches lazily (models, MCP servers, the context) it asks {@code server}. */
    UiState(ServerConnection server, String directory, UiConfig config) {
        this.directory = directory;
        this.config = config;
        this.choice = new ModelChoice(server, directory, attached, config.model());
        this.mcp = new McpServers(server, directory);
        this.contextFill = new ContextFill(() -> server.api().context(attached.session().orElseThrow().id()).estimate().total());
    }

    /** The folder the UI was opened in. */
    String directory() { return directory; }

    UiConfig config() { return config; }

    Theme theme() { return config.theme(); }

    Composer composer() { return composer; }

    AttachedSession attached() { return attached; }

    /** The session shown, when there is one yet. */
    Optional<Session> session() { return attached.session(); }

    OpenAsks asks() { return asks; }

    OpenViews views() { return views; }

    TurnSpend spend() { return spend; }

    BlockedTally blocked() { return blocked; }

    ModelChoice choice() { return choice; }

    ContextFill contextFill() { return contextFill; }

    McpServers mcp() { return mcp; }

    LoopState loop() { return loop; }

    void loop(LoopState now) { loop = now; }

    Optional<SessionId> resumeSaidByCaller() { return resumeSaidByCaller; }

    void resumeSaidByCaller(Optional<SessionId> session) { resumeSaidByCaller = session; }
}
