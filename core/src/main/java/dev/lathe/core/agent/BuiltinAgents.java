package dev.lathe.core.agent;

import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.Rule;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.builtin.Builtins;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The agents every project has (DESIGN §11): {@code build}, the default; {@code plan}, which studies and plans but
 * changes no file; {@code explore}, a read-only searcher for the {@code task} tool; {@code general}, a subagent for
 * delegated work; {@code review}, which reads a diff and reports findings, under plan's rules. Their prompts are system block A, one Markdown resource each: they hold no date, path or user name,
 * so block A is byte-identical for every session of an agent on every project and day and the provider's prompt cache
 * can share it (DESIGN §7); the session's environment goes into its first user message instead. Config entries and
 * agent files change them field by field ({@link AgentLoader}).
 */
public final class BuiltinAgents {
    public static final String DEFAULT = "build";
    /** The agent of {@code lathe review} and {@code /review} (DESIGN §18 "Review"). */
    public static final String REVIEW = "review";
    /** The agent that reads and plans without editing: what the {@code plan} permission mode runs (DESIGN §31). */
    public static final String PLAN = "plan";
    /** The tool only the review agent is offered: its report. */
    static final String REPORT_FINDINGS = "report_findings";
    static final String EXPLORE = "explore";

    /**
     * The built-in tools a read-only agent is offered, derived from what they declare ({@link #readOnly}), in name
     * order.
     */
    static final List<String> READ_ONLY_TOOLS = Builtins.all().stream().filter(BuiltinAgents::readOnly).map(Tool::name).sorted().toList();

    /**
     * Whether {@code tool} suits an agent that changes nothing: it reports no writes, starts no subagent, asks the user
     * nothing, and may change files or run processes only through command lines its permission source checks — the
     * commands {@link #READ_ONLY_RULES} limits to ones that only look ({@code bash}).
     */
    static boolean readOnly(Tool<?> tool) {
        Set<Effect> effects = tool.effects();
        if (effects.contains(Effect.WRITES_FILES) || effects.contains(Effect.STARTS_SUBAGENTS) || effects.contains(Effect.TALKS_TO_USER)
                || effects.contains(Effect.REPORTS_FINDINGS) || effects.contains(Effect.TRACKS_SUBAGENTS) || effects.contains(Effect.MAKES_TEAMS)) return false;
        boolean commandsChecked = tool.permission().pattern() == PermissionSource.Pattern.COMMAND;
        return commandsChecked || !effects.contains(Effect.MAY_CHANGE_ANY_FILE) && !effects.contains(Effect.RUNS_PROCESSES);
    }

    /**
     * The permission layer of an agent that changes nothing: no file edits ({@code write} and {@code apply_patch} ask
     * for {@code edit} too), bash only for the read-only command list ({@link Rule#readOnlyCommands}: each program
     * allowed only as far as {@code ReadOnlyCommands} judges its options read-only; files a command would write, by
     * redirection or operand, still need {@code edit}). Both catch-alls deny, so (see
     * {@code Ruleset.forAgent}) no lower layer or "always" answer can open them again; only the agent's own
     * {@code agent.<name>.permission} in config can.
     */
    public static final List<Rule> READ_ONLY_RULES = readOnlyRules();

    public static final List<Agent> ALL = List.of(
            new Agent(DEFAULT, "The default agent: reads, searches, edits files and runs commands in the project, as the permission rules allow",
                    Agent.Mode.PRIMARY, Optional.empty(), Optional.empty(), Optional.empty(), prompt("build.md"), List.of(), Optional.empty(), "builtin"),
            new Agent(PLAN, "Studies the code and plans changes without making them: no file edits, only read-only commands",
                    Agent.Mode.PRIMARY, Optional.empty(), Optional.empty(), Optional.empty(), prompt("plan.md"), READ_ONLY_RULES,
                    Optional.empty(), "builtin"),
            // plan's rules, one policy for every agent that changes nothing; plus the one tool it reports through
            new Agent(REVIEW, "Reviews a diff without changing anything and reports prioritised findings (lathe review, /review)",
                    Agent.Mode.PRIMARY, Optional.empty(), Optional.empty(), Optional.empty(), prompt("review.md"), READ_ONLY_RULES,
                    Optional.of(reviewTools()), "builtin"),
            // its model is the configured small model, when there is one (AgentLoader)
            new Agent(EXPLORE, "Fast read-only search of the code base: finds files, definitions and usages and reports them with paths",
                    Agent.Mode.SUBAGENT, Optional.empty(), Optional.empty(), Optional.empty(), prompt("explore.md"), READ_ONLY_RULES,
                    Optional.of(READ_ONLY_TOOLS), "builtin"),
            new Agent("general", "General-purpose subagent for a self-contained task: researches, edits and runs commands, then reports back",
                    Agent.Mode.SUBAGENT, Optional.empty(), Optional.empty(), Optional.empty(), prompt("general.md"), List.of(), Optional.empty(),
                    "builtin"));

    private static List<String> reviewTools() {
        List<String> tools = new java.util.ArrayList<>(READ_ONLY_TOOLS);
        tools.add(REPORT_FINDINGS);
        return List.copyOf(tools);
    }

    private static List<Rule> readOnlyRules() {
        List<Rule> rules = new java.util.ArrayList<>();
        rules.add(new Rule("edit", "*", Action.DENY));
        rules.add(new Rule("bash", "*", Action.DENY));
        rules.addAll(Rule.readOnlyCommands());
        return List.copyOf(rules);
    }

    private BuiltinAgents() {}

    private static String prompt(String name) {
        String path = "/dev/lathe/core/agent/" + name;
        try (InputStream in = BuiltinAgents.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing prompt resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read prompt resource " + path, e);
        }
    }
}
