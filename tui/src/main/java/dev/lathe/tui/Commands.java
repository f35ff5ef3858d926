package dev.lathe.tui;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.ForkRequest;
import dev.lathe.protocol.api.MessageUsage;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.RememberedApproval;
import dev.lathe.protocol.api.SessionUsage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.tui.input.Action;
import dev.lathe.tui.input.Fuzzy;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.view.CacheView;
import dev.lathe.tui.view.ContextView;
import dev.lathe.tui.view.Footer;
import dev.lathe.tui.view.HelpView;
import dev.lathe.tui.view.HooksView;
import dev.lathe.tui.view.LspView;
import dev.lathe.tui.view.SessionMarkdown;
import dev.lathe.tui.view.Picker;
import dev.lathe.tui.view.WorktreeLabel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jline.utils.AttributedString;

/**
 * The slash commands: the ones only a client can do (DESIGN §11: {@code /new /sessions /model /agent /context
 * /cost /export /help}, and {@code /cache}, {@code /exit}) run here; every other name the server knows ({@code /undo}, {@code /redo},
 * {@code /init}, the project's own commands) goes to the server; a name nobody knows is sent to the model as text.
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
        m.put("worktree", "The repository's session worktrees; /worktree merge NAME, /worktree remove NAME [--force]");
        m.put("goal", "Run CMD after each turn and send its output back until it exits 0: /goal npm test (/goal off stops)");
        m.put("rewind", "Go back to before one of your prompts: code, conversation or both (esc esc)");
        m.put("transcript", "The whole session with full tool output and reasoning (ctrl+o)");
        m.put("help", "Commands and keys");
        m.put("exit", "Leave; the session keeps running in the server");
        return m;
    }

    private final Ui ui;
    private final RewindCommand rewind;
    private final AgentsCommand agentsView;
    private Optional<List<CommandInfo>> serverCommands = Optional.empty();

    Commands(Ui ui) {
        this.ui = ui;
        this.rewind = new RewindCommand(ui);
        this.agentsView = new AgentsCommand(ui);
    }

    /** {@code /rewind} and Esc Esc: the picker of this session's prompts. */
    void rewind() { rewind.run(); }

    void run(String text) {
        String name = text.substring(1).split("\\s+", 2)[0];
        String arguments = text.contains(" ") ? text.substring(text.indexOf(' ') + 1).strip() : "";
        switch (name) {
            case "new", "clear" -> ui.newSession();
            case "sessions", "resume" -> sessions();
            case "model", "models" -> {
                if (arguments.isEmpty()) models();
                else chooseModel(arguments);
            }
            case "agents" -> agentsView.run();
            case "team", "teams" -> ui.teamPanel.toggle();
            case "agent" -> {
                if (arguments.isEmpty()) agents();
                else agent(arguments);
            }
            case "context" -> context();
            case "cache" -> cache();
            case "cost" -> cost();
            case "export" -> export(arguments);
            case "import" -> new ImportCommand(ui).run(arguments);
            case "permissions" -> permissions(arguments);
            case "mcp" -> ui.mcpCommands.run(arguments);
            case "worktree", "worktrees" -> ui.worktreeCommands.run(arguments);
            case "goal" -> ui.goalCommand.run(arguments);
            case "connect" -> ui.connectCommand.run(arguments);
            case "hooks" -> hooks(arguments);
            case "lsp" -> lsp(arguments);
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
            ui.composer.offer(text);
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
                    undone.ifPresent(prompt -> ui.composer.offer(prompt, "the undone prompt is back in the input"));
                };
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> ui.error(message);
            }
            ui.signals.add(new Signal.Finished(followUp));
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
            ui.notice(List.of(ui.theme.paint(Role.WARNING, what), ui.theme.paint(Role.MUTED, "  " + files + " · the turn above is no longer "
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
            ui.signals.add(new Signal.Finished(followUp));
        });
    }

    /** Forgets the server's list: the next completion asks again (an MCP server may have connected since). */
    void refreshServerCommands() {
        serverCommands = Optional.empty();
    }

    private List<CommandInfo> server() {
        if (serverCommands.isEmpty()) serverCommands = Optional.of(Ui.safe(() -> ui.api().commands(ui.directory)));
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

    // ---- pickers

    void sessions() {
        List<Session> list = withChildren(ui.api().sessions(ui.directory));
        long now = System.currentTimeMillis();
        // on a team server each row names its owner (DESIGN §20); without accounts the row is as it was
        var owners = SessionOwners.of(ui.api());
        // what a session that is not idle does, a team's queued ones with their place (idle ones say nothing)
        var statuses = ui.api().statuses(ui.directory);
        var picker = Picker.of("Sessions", "enter switch · ctrl+n new · ctrl+f fork · esc close", list,
                s -> (s.parentId().isPresent() ? "  ↳ " : "") + (s.title().isBlank() ? "(untitled)" : s.title()),
                s -> statusWord(statuses.get(s.id())) + ago(now - s.updatedAt()) + (owners.none() ? "" : " · " + owners.of(s, list, ui.api()).orElse("no owner"))
                        + s.worktree().map(t -> " · " + WorktreeLabel.of(t)).orElse("") + " · " + s.id().value());
        ui.session().ifPresent(current -> picker.selectWhere(s -> s.id().equals(current.id())));
        ui.openPicker(PickerState.sessions(picker, chosen -> {
            Session s = (Session) chosen;
            if (ui.session().map(c -> c.id().equals(s.id())).orElse(false)) return;
            ui.attach(ui.api().session(s.id()));
        }));
    }

    /** A session list row's status, e.g. {@code "queued (place 2) · "}; nothing for an idle session. */
    static String statusWord(SessionStatus status) {
        return switch (status) {
            case null -> "";
            case SessionStatus.Idle _ -> "";
            case SessionStatus.Queued q -> "queued (place " + q.position() + ") · ";
            default -> SessionStatus.typeOf(status) + " · ";
        };
    }

    /**
     * The sessions to pick from: top-level ones that are not archived, most recently used first, each followed by the
     * subagent sessions its {@code task} calls started (oldest first), so a child is opened from under its parent.
     */
    static List<Session> withChildren(List<Session> all) {
        var children = new java.util.HashMap<SessionId, List<Session>>();
        for (Session s : all) s.parentId().ifPresent(p -> children.computeIfAbsent(p, _ -> new java.util.ArrayList<>()).add(s));
        var out = new java.util.ArrayList<Session>();
        all.stream().filter(s -> s.parentId().isEmpty() && s.archivedAt().isEmpty())
                .sorted(java.util.Comparator.comparingLong(Session::updatedAt).reversed())
                .forEach(s -> {
                    out.add(s);
                    children.getOrDefault(s.id(), List.of()).stream().sorted(java.util.Comparator.comparingLong(Session::createdAt)).forEach(out::add);
                });
        return out;
    }

    /**
     * {@code /permissions}: the folder's remembered "always" answers in a picker, Enter revokes the highlighted one;
     * {@code /permissions revoke ID} revokes at once. A revoke applies from the next tool call.
     */
    void permissions(String arguments) {
        String[] words = arguments.split("\\s+");
        if (words.length == 2 && words[0].equals("revoke")) {
            revoke(words[1]);
            return;
        }
        List<RememberedApproval> all = ui.api().approvals(ui.directory);
        if (all.isEmpty()) {
            ui.notice("No remembered answers in this folder: every ask the rules leave open is asked");
            return;
        }
        var picker = Picker.of("Remembered answers", "enter revoke · esc close", all, a -> a.permission() + "  " + a.pattern(),
                a -> scope(a) + " · " + a.id());
        ui.openPicker(picker, chosen -> revoke(((RememberedApproval) chosen).id()));
    }

    private void revoke(String id) {
        try {
            RememberedApproval gone = ui.api().revokeApproval(ui.directory, id);
            ui.notice("Revoked " + gone.permission() + " " + gone.pattern() + " (" + scope(gone) + "): asked again from the next call");
        } catch (RuntimeException e) {
            ui.error(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static String scope(RememberedApproval a) {
        return switch (a.scope()) {
            case PROJECT -> "this project";
            case SESSION -> "session " + a.sessionId().map(SessionId::value).orElse("");
        };
    }

    /** Ctrl-F in the session picker: the session forked, and the fork opened. */
    void fork(Session s) {
        Session fork = ui.api().fork(s.id(), new ForkRequest(Optional.empty()));
        ui.attach(fork);
        ui.notice("⑂ Forked " + s.id().value() + " into " + fork.id().value());
    }

    void models() { openModels(Fold.FOLDED); }

    /** Whether the picker shows providers without a key. */
    private enum Fold { FOLDED, UNFOLDED }

    private void openModels(Fold fold) { openModels(fold, ""); }

    private void openModels(Fold fold, String filter) {
        List<ModelInfo> models = ui.choice.models();
        List<String> recent = ui.recentModels.list();
        var items = fold == Fold.FOLDED ? ModelMenu.folded(models, recent) : ModelMenu.all(models, recent);
        boolean usable = models.stream().filter(ModelInfo::chat).anyMatch(ModelMenu::hasKey);
        var picker = new Picker<>(usable ? "Model" : "Model · no provider has a key yet: choose one, then set its key", "enter choose · esc close",
                items, 10, true);
        List<ModelInfo> folded = fold == Fold.FOLDED ? models.stream().filter(ModelInfo::chat).filter(m -> !ModelMenu.hasKey(m)).toList() : List.of();
        picker.rankedBy((query, rows) -> ModelMenu.filter(query, rows, folded));
        if (!filter.isEmpty()) picker.type(filter);
        String current = ui.choice.model();
        picker.selectWhere(r -> r instanceof ModelMenu.Row.Model m && m.model().ref().equals(current));
        ui.openPicker(picker, chosen -> {
            switch ((ModelMenu.Row) chosen) {
                case ModelMenu.Row.Model m -> chooseModel(m.model().ref());
                case ModelMenu.Row.MoreProviders _ -> openModels(Fold.UNFOLDED, picker.filter());
            }
        });
    }

    private void chooseModel(String ref) {
        ui.choice.chooseModel(ref);
        ui.recentModels.add(ref);
        ui.choice.limit();
        ui.notice("Model: " + ref + (ui.session().isPresent() ? " (from the next message)" : ""));
        // at once, not at the next prompt: a model without a key cannot answer
        ModelMenu.keyWarning(ref, ui.choice.models()).ifPresent(w -> ui.notice(List.of(ui.theme.paint(Role.WARNING, w))));
    }

    void agents() {
        List<AgentInfo> agents = primaryAgents();
        var picker = Picker.of("Agent", "enter choose · esc close", agents, AgentInfo::name, AgentInfo::description);
        String current = ui.choice.agent();
        picker.selectWhere(a -> a.name().equals(current));
        ui.openPicker(picker, chosen -> chooseAgent(((AgentInfo) chosen).name()));
    }

    /** {@code /agent NAME}: a primary agent of the folder, used from the next message. */
    private void agent(String name) {
        List<AgentInfo> agents = primaryAgents();
        // an empty list means the server could not be asked: let the prompt tell
        if (!agents.isEmpty() && agents.stream().noneMatch(a -> a.name().equals(name))) {
            ui.notice("Unknown agent " + name + "; primary agents: " + String.join(", ", agents.stream().map(AgentInfo::name).toList()));
            return;
        }
        chooseAgent(name);
        ui.notice("Agent: " + name + (ui.session().isPresent() ? " (from the next message)" : ""));
    }

    private void chooseAgent(String name) {
        ui.choice.chooseAgent(name);
        ui.composer.hint("");
    }

    /**
     * Tab: the next primary agent; shown in the footer at once and used from the next message. Not the built-in
     * {@code review}: it answers {@code /review}, one message at a time, and is no mode to work in ({@code /agent} still
     * offers it).
     */
    void cycleAgent(int step) {
        List<AgentInfo> agents = primaryAgents().stream().filter(a -> !a.name().equals(REVIEW_AGENT)).toList();
        if (agents.isEmpty()) return;
        String current = ui.choice.agent();
        int at = 0;
        for (int i = 0; i < agents.size(); i++) if (agents.get(i).name().equals(current)) at = i;
        chooseAgent(agents.get(Math.floorMod(at + step, agents.size())).name());
    }

    /** The built-in agent of {@code /review} (the core's {@code BuiltinAgents.REVIEW}). */
    private static final String REVIEW_AGENT = "review";

    private List<AgentInfo> primaryAgents() {
        return Ui.safe(() -> ui.api().agents(ui.directory)).stream().filter(a -> !a.mode().equals("subagent")).toList();
    }

    // ---- reports

    /** What fills the window, from the server's estimate of the next request; before a session exists, just the window. */
    private void context() {
        if (ui.session().isEmpty()) {
            int limit = ui.choice.contextLimit();
            ui.notice(List.of(ui.theme.paint(Role.HEADING, "Context"),
                    new AttributedString("  model      " + ui.choice.model() + (limit > 0 ? " · window " + Footer.tokens(limit) : "")),
                    ui.theme.paint(Role.MUTED, "  no request yet in this session")));
            return;
        }
        ui.notice(ContextView.render(ui.api().context(ui.session().get().id()), ui.contextFill.lastStep(), ui.theme, ui.screen.width()));
    }

    /** {@code /hooks}: what fires in this folder, as the server's configuration has it ({@code GET /hooks}). */
    private void hooks(String arguments) {
        if (!arguments.isBlank()) {
            ui.error("/hooks takes nothing");
            return;
        }
        try {
            ui.notice(HooksView.render(ui.api().hooks(ui.directory), ui.theme));
        } catch (RuntimeException e) {
            // a server too old for GET /hooks, a config that does not load: said, never a crash of the UI
            ui.error("cannot list the hooks: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private void lsp(String arguments) {
        if (!arguments.isBlank()) {
            ui.error("/lsp takes nothing");
            return;
        }
        try {
            ui.notice(LspView.render(ui.api().lsp(ui.directory), ui.theme));
        } catch (RuntimeException e) {
            // a server too old for GET /lsp: said, never a crash of the UI
            ui.error("cannot list the language servers: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private void cache() {
        if (ui.session().isEmpty()) {
            ui.notice("No requests yet in this session");
            return;
        }
        ui.notice(CacheView.render(ui.api().cache(ui.session().get().id()), ui.theme, ui.screen.width()));
    }

    private void cost() {
        if (ui.session().isEmpty()) {
            ui.notice("No requests yet in this session: $0");
            return;
        }
        SessionUsage usage = ui.api().usage(ui.session().get().id());
        Usage u = usage.usage();
        var lines = new ArrayList<AttributedString>();
        lines.add(ui.theme.paint(Role.HEADING, "Cost"));
        lines.add(new AttributedString("  session      " + Footer.cost(usage.cost(), u) + " over " + CostCounts.of(ui.api().messages(ui.session().get().id()))));
        lines.add(new AttributedString("  input        " + Footer.tokens(u.input())));
        lines.add(new AttributedString("  cache read   " + Footer.tokens(u.cacheRead())));
        lines.add(new AttributedString("  cache write  " + Footer.tokens(u.cacheWrite())));
        lines.add(new AttributedString("  output       " + Footer.tokens(u.output())));
        Footer.cacheRatio(u).ifPresent(r -> lines.add(new AttributedString("  cache hits   " + r + "% of prompt tokens served from the provider's cache")));
        var byModel = new LinkedHashMap<String, long[]>();
        for (MessageUsage m : usage.messages()) {
            long[] acc = byModel.computeIfAbsent(m.model(), _ -> new long[2]);
            acc[0] += m.cost();
            acc[1] += m.usage().total();
        }
        if (byModel.size() > 1) {
            byModel.forEach((model, acc) -> lines.add(new AttributedString("  " + model + "  " + (acc[0] == 0 && acc[1] > 0 ? Footer.PRICE_UNKNOWN : Footer.dollars(acc[0])) + " · " + Footer.tokens(acc[1]) + " tokens")));
        }
        ui.notice(lines);
    }

    /**
     * {@code /export [md|json]}: the session as Markdown (the default, to read or share) or as the JSON that
     * {@code lathe import} reads, written beside Lathe's own state (never into the project's work tree) under the
     * session's id; the notice says where.
     */
    private void export(String arguments) {
        if (ui.session().isEmpty()) {
            ui.notice("Nothing to export yet");
            return;
        }
        String format = arguments.isBlank() ? "md" : arguments.strip().toLowerCase(java.util.Locale.ROOT);
        if (!format.equals("md") && !format.equals("markdown") && !format.equals("json")) {
            ui.error("/export takes md (the default) or json, not " + arguments.strip());
            return;
        }
        var id = ui.session().get().id();
        var export = ui.api().export(id);
        boolean json = format.equals("json");
        Path file = ui.exports.resolve("lathe-" + id.value() + (json ? ".json" : ".md")).toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, json ? WireJson.write(export) : SessionMarkdown.of(export.session(), export.messages()));
            ui.notice("Exported to " + file + (json ? " (lathe import reads it back)" : " (/export json writes the file lathe import reads)"));
        } catch (IOException e) {
            ui.error("cannot write " + file + ": " + e.getMessage());
        }
    }

    private void help() {
        var commands = new ArrayList<HelpView.Row>();
        LOCAL.forEach((name, description) -> commands.add(new HelpView.Row("/" + name, description)));
        for (CommandInfo c : server()) if (!LOCAL.containsKey(c.name())) commands.add(new HelpView.Row("/" + c.name(), c.description()));
        var keys = new ArrayList<HelpView.Row>();
        for (var a : Action.values()) {
            String bound = ui.config.keys().describe(a);
            if (!bound.isEmpty()) keys.add(new HelpView.Row(bound, a.description()));
        }
        var lines = new ArrayList<AttributedString>(HelpView.render("Commands", commands, ui.theme, ui.screen.width()));
        lines.addAll(HelpView.render("Keys", keys, ui.theme, ui.screen.width()));
        ui.notice(lines);
    }

    static String ago(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        if (d.toMinutes() < 1) return "just now";
        if (d.toHours() < 1) return d.toMinutes() + "m ago";
        if (d.toDays() < 1) return d.toHours() + "h ago";
        return d.toDays() + "d ago";
    }
}
