package dev.lathe.tui;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tui.input.Action;
import dev.lathe.tui.input.Fuzzy;
import dev.lathe.tui.input.Keybindings;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.view.HelpView;
import dev.lathe.tui.view.TextPager;
import dev.lathe.tui.view.Picker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.jline.utils.AttributedString;

/**
 * The slash commands: the ones only a client can do (DESIGN §11: {@code /new /sessions /model /agent /context
 * /cost /export /help}, and {@code /cache}, {@code /exit}) run here; every other name the server knows ({@code /undo}, {@code /redo},
 * {@code /init}, the project's own commands) goes to the server; a name nobody knows is sent to the model as text.
 * This is the dispatcher and the server's commands; each of the client's own is in the object of its concept
 * (made here), given only what it reads or changes.
 */
final class Commands {
    /** The client's own commands, for completion and {@code /help}. */
    static final Map<String, String> LOCAL = localCommands();

    private static Map<String, String> localCommands() {
        var m = new LinkedHashMap<String, String>();
        m.put("new", "Start a new session in this folder");
        m.put("sessions", "Switch to another session of this folder, start one, or fork one");
        m.put("model", "Choose the model for the next messages");
        m.put("agent", "Choose the primary agent (tab cycles them)");
        m.put("agents", "Subagents of this session with status, cost and last activity; watch, prompt or cancel one");
        m.put("ps", "Background commands of this session: state, pid, last line; show, type into (/ps send ID TEXT) or kill one");
        m.put("diff", "The changes of this turn, live as it edits: /diff session, /diff uncommitted, /diff branch (/diff again hides)");
        m.put("team", "The agent team of this session, live: members, task list, newest messages (/team again hides it)");
        m.put("context", "What fills the context window");
        m.put("cost", "Tokens and cost of this session");
        m.put("cache", "Cache hits of the last requests, and which prompt block broke the cache");
        m.put("export", "Save this session as Markdown outside the project (/export json: for lathe import)");
        m.put("import", "Claude Code, OpenCode and Codex sessions of this folder; /import SOURCE ID|all imports them");
        m.put("permissions", "Remembered \"always\" answers; enter revokes one");
        m.put("mcp", "MCP servers with their state; /mcp auth NAME signs in to one, /mcp restart NAME restarts it");
        m.put("connect", "Sign in with a subscription: /connect openai (ChatGPT Plus/Pro), /connect github-copilot");
        m.put("hooks", "Hooks of this folder: event, matcher, handler and the file that defines it");
        m.put("lsp", "Language servers of this folder with their state");
        m.put("memory", "Instruction files (AGENTS.md, CLAUDE.md, imports, rules) the model gets, and why");
        m.put("worktree", "The repository's session worktrees; /worktree merge NAME, /worktree remove NAME [--force]");
        m.put("goal", "Run CMD after each turn and send its output back until it exits 0: /goal npm test (/goal off stops)");
        m.put("rewind", "Go back to before one of your prompts: code, conversation or both (esc esc)");
        m.put("transcript", "The whole session with full tool output and reasoning (ctrl+o)");
        m.put("help", "Commands and keys");
        m.put("exit", "Leave; the session keeps running in the server");
        return m;
    }

    /** What the dispatcher needs of the UI beyond its commands: a command's needs, and what a few names do at once. */
    interface Host extends CommandHost {
        /** {@code /new}: a new session from the next message on. */
        void newSession();

        /** {@code /transcript}: the transcript view (Ctrl-O). */
        void openTranscript();

        /** A page of text in the pager ({@code /help}), laid out at the screen's width, closed with q or Esc. */
        void openPage(String title, TextPager.Layout lines);

        /** {@code /exit}: the loop ends after this batch of signals. */
        void exit();

        /** Sends {@code text} as the user's message (a path that looks like a command). */
        void prompt(String text);

        /** The open session, made now when none is (a server command runs in one). */
        Session ensureSession();
    }

    private final Host ui;
    /** The message being typed: a mistyped command and an undone prompt come back into it. */
    private final Composer composer;
    /** The key bindings {@code /help} lists. */
    private final Keybindings keys;
    private Optional<List<CommandInfo>> serverCommands = Optional.empty();

    // the client's own commands, each in the object of its concept, given only the state it reads or changes
    private final SessionsCommand sessions;
    private final ModelCommands models;
    private final ReportCommands reports;
    private final PermissionsCommand permissions;
    private final RewindCommand rewind;
    private final AgentsCommand agents;
    private final ProcessesCommand processes;
    private final ImportCommand imports;
    private final McpCommands mcp;
    private final WorktreeCommands worktrees;
    private final GoalCommand goal;
    private final ConnectCommand connect;
    private final TeamPanel team;
    private final DiffPanel diff;

    /** The commands of a UI on {@code state}, which keep what they save in {@code files}; the terminal is {@code width} wide. */
    Commands(UiEffects ui, UiState state, StateFiles files, ServerConnection server, IntSupplier width) {
        this.ui = ui;
        this.composer = state.composer();
        this.keys = state.config().keys();
        this.sessions = new SessionsCommand(ui);
        this.models = new ModelCommands(state.choice(), files.recentModels(), composer, ui);
        this.reports = new ReportCommands(state.choice(), state.contextFill(), width, files.exports(), ui);
        this.permissions = new PermissionsCommand(ui);
        this.rewind = new RewindCommand(ui);
        this.agents = new AgentsCommand(ui);
        this.processes = new ProcessesCommand(ui);
        this.imports = new ImportCommand(ui);
        this.mcp = new McpCommands(ui);
        this.worktrees = new WorktreeCommands(ui);
        this.goal = new GoalCommand(ui);
        this.connect = new ConnectCommand(ui);
        this.team = new TeamPanel(state.attached(), server, state.theme(), ui);
        this.diff = new DiffPanel(state.attached(), server, state.theme(), ui);
    }

    /** {@code /connect}: it also takes a pasted API key, which the input shows as dots. */
    ConnectCommand connect() { return connect; }

    /** {@code /team}: the board of the attached session's agent team, under the turn. */
    TeamPanel team() { return team; }

    /** {@code /diff}: the attached session's diff, under the turn, live. */
    DiffPanel diff() { return diff; }

    /** A command waiting for {@code event} (the end of a sign-in it started) takes it; whether one did. */
    boolean finished(Event event) { return mcp.finished(event) || connect.finished(event); }

    /** {@code /rewind} and Esc Esc: the picker of this session's prompts. */
    void rewind() { rewind.run(); }

    void sessions() { sessions.run(); }

    /** Ctrl-F in the session picker. */
    void fork(Session s) { sessions.fork(s); }

    void models() { models.models(); }

    void agents() { models.agents(); }

    /** Tab and Shift-Tab: the next or previous primary agent. */
    void cycleAgent(int step) { models.cycleAgent(step); }

    void cycleMode() { models.cycleMode(); }

    void run(String text) {
        String name = text.substring(1).split("\\s+", 2)[0];
        String arguments = text.contains(" ") ? text.substring(text.indexOf(' ') + 1).strip() : "";
        switch (name) {
            case "new", "clear" -> ui.newSession();
            case "sessions", "resume" -> sessions();
            case "model", "models" -> models.model(arguments);
            case "agents" -> agents.run();
            case "ps", "processes" -> processes.run(arguments);
            case "team", "teams" -> team.toggle();
            case "diff" -> diff.run(arguments);
            case "agent" -> models.agent(arguments);
            case "context" -> reports.context();
            case "cache" -> reports.cache();
            case "cost" -> reports.cost();
            case "export" -> reports.export(arguments);
            case "import" -> imports.run(arguments);
            case "permissions" -> permissions.run(arguments);
            case "mcp" -> mcp.run(arguments);
            case "worktree", "worktrees" -> worktrees.run(arguments);
            case "goal" -> goal.run(arguments);
            case "connect" -> connect.run(arguments);
            case "hooks" -> reports.hooks(arguments);
            case "lsp" -> reports.lsp(arguments);
            case "memory" -> reports.memory(arguments);
            case "rewind", "checkpoint" -> rewind();
            case "transcript", "details" -> ui.openTranscript();
            case "help" -> help();
            case "exit", "quit", "q" -> ui.exit();
            default -> server(name, arguments, text);
        }
    }

    /** Whether {@code name} (after the slash) can be a command's name rather than the start of a path or a sentence. */
    static boolean commandName(String name) { return name.matches("[A-Za-z][\\w:-]*"); }

    private void server(String name, String arguments, String text) {
        boolean known = server().stream().anyMatch(c -> c.name().equals(name));
        if (!known) {
            // the list may predate the command (an MCP server that connected since): ask once more before sending text
            refreshServerCommands();
            known = server().stream().anyMatch(c -> c.name().equals(name));
        }
        if (!known) {
            if (!commandName(name)) {
                // "/usr/lib is full": a path, not a command
                ui.prompt(text);
                return;
            }
            // a typo must not go to the model as a prompt (issue 42); the text comes back to be fixed
            ui.error("unknown command /" + name + ": /help lists the commands; start with // to send a message that begins with /");
            composer.offer(text);
            return;
        }
        var s = ui.ensureSession();
        if (name.equals("compact")) {
            compact(s.id());
            return;
        }
        // off the UI thread: a project command may run shell commands and ask permission (answered here) before it is sent
        Thread.ofVirtual().name("lathe-command").start(() -> {
            Runnable followUp;
            try {
                CommandResult result = ui.api().command(s.id(), new CommandRequest(name, arguments));
                Optional<String> undone = name.equals("undo") ? undonePrompt(result) : Optional.empty();
                followUp = () -> {
                    shown(name, result, undone);
                    // the undone prompt comes back to be edited and sent again, unless something is being typed
                    undone.ifPresent(prompt -> composer.offer(prompt, "the undone prompt is back in the input"));
                };
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> ui.error(message);
            }
            ui.later(followUp);
        });
    }

    /** A command that starts a turn shows it through the session's events; one that reverted says what it restored. */
    private void shown(String name, CommandResult result, Optional<String> undone) {
        result.revert().ifPresent(r -> {
            String files = r.files().isEmpty() ? "no files changed" : "restored " + String.join(", ", r.files());
            if (!name.equals("undo")) {
                ui.notice("↷ Redid the last undone turn; " + files);
                return;
            }
            String what = undone.map(t -> "↶ Undid “" + firstLine(t) + "”").orElse("↶ Undid the last turn");
            ui.notice(List.of(ui.theme().paint(Role.WARNING, what), ui.theme().paint(Role.MUTED, "  " + files + " · the turn above is no longer "
                    + "in the session · /redo brings it back")));
        });
    }

    /** The text of the user message an undo hid (the session's revert point), from the stored session. */
    private Optional<String> undonePrompt(CommandResult result) {
        Optional<MessageId> at = result.revert().flatMap(r -> r.session().revert());
        if (at.isEmpty()) return Optional.empty();
        try {
            return ui.api().export(result.revert().get().session().id()).messages().stream()
                    .filter(m -> m.info().id().equals(at.get()) && m.info() instanceof UserMessage)
                    .findFirst()
                    .map(m -> String.join("\n", m.parts().stream()
                            .filter(p -> p instanceof Part.Text t && !t.synthetic())
                            .map(p -> ((Part.Text) p).text()).toList()))
                    .filter(t -> !t.isBlank());
        } catch (RuntimeException e) {
            return Optional.empty();  // the undo is done; only its prompt's text is missing from the note
        }
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 60 ? line.substring(0, 59) + "…" : line;
    }

    /**
     * The summary takes as long as a model answer: it runs off the UI thread, which keeps drawing the server's events
     * (the session shows busy and the summary streams in); the outcome is noted when it ends.
     */
    private void compact(SessionId session) {
        ui.notice("Compacting the context…");
        Thread.ofVirtual().name("lathe-compact").start(() -> {
            Runnable followUp;
            try {
                ui.api().compact(session);
                followUp = () -> ui.notice("Context compacted: earlier turns summarised, the last ones kept as they were");
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> ui.notice("Compaction failed: " + message);
            }
            ui.later(followUp);
        });
    }

    /** Forgets the server's list: the next completion asks again (an MCP server may have connected since). */
    void refreshServerCommands() {
        serverCommands = Optional.empty();
    }

    private List<CommandInfo> server() {
        if (serverCommands.isEmpty()) serverCommands = Optional.of(Ui.safe(() -> ui.api().commands(ui.directory())));
        return serverCommands.get();
    }

    /** Completion of {@code /name}: the client's commands and the server's, best match first. */
    List<Picker.Item<String>> complete(String query) {
        var all = new ArrayList<Picker.Item<String>>();
        LOCAL.forEach((name, description) -> all.add(new Picker.Item<>("/" + name + " ", "/" + name, description)));
        for (CommandInfo c : server()) {
            if (!LOCAL.containsKey(c.name())) all.add(new Picker.Item<>("/" + c.name() + " ", "/" + c.name(), c.description()));
        }
        return query.isEmpty() ? all : Fuzzy.rank(query, all, i -> i.label().substring(1));
    }

    /** What the first character of a line does (DESIGN §27), as {@code /help} lists it. */
    static final List<HelpView.Row> PREFIXES = List.of(
            new HelpView.Row("!COMMAND", "run COMMAND in your shell; it and its output join the conversation"),
            new HelpView.Row("@PATH", "attach a file (Tab completes the path)"),
            new HelpView.Row("/NAME", "run a command (// sends a message that begins with /)"));

    private void help() {
        var commands = new ArrayList<HelpView.Row>();
        LOCAL.forEach((name, description) -> commands.add(new HelpView.Row("/" + name, description)));
        for (CommandInfo c : server()) if (!LOCAL.containsKey(c.name())) commands.add(new HelpView.Row("/" + c.name(), c.description()));
        var bound = new ArrayList<HelpView.Row>();
        for (var a : Action.values()) {
            String described = keys.describe(a);
            if (!described.isEmpty()) bound.add(new HelpView.Row(described, a.description()));
        }
        ui.openPage("help", w -> {
            var lines = new ArrayList<AttributedString>(HelpView.render("Input", PREFIXES, ui.theme(), w));
            lines.addAll(HelpView.render("Commands", commands, ui.theme(), w));
            lines.addAll(HelpView.render("Keys", bound, ui.theme(), w));
            return lines;
        });
    }
}
