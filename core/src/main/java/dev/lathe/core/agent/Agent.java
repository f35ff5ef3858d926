package dev.lathe.core.agent;

import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.RuleOrigin;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An agent (DESIGN §11): a system prompt with its own permission layer, tools, model and step limit. {@code mode}
 * says whether users pick it ({@code primary}), the {@code task} tool runs it ({@code subagent}), or both.
 * {@code model}: {@code provider/model} or empty for the session's. {@code permission}: its layer over the project's
 * rules ({@code Ruleset.forAgent}); a rule given without an origin gets this agent's ({@link RuleOrigin#agent}). {@code tools}: empty for every tool; otherwise a filter read in order, each entry a
 * tool name or glob ({@code *}, {@code mcp_*}) that offers the tools it matches, or {@code !name} that withdraws them;
 * a tool no entry matches is not offered ({@link #allowsTool}). {@code source}: where it was last defined or changed
 * ({@code builtin}, {@code config}, or the agent file's path). {@code isolation}: where it works when the {@code task}
 * tool runs it ({@link Isolation#WORKTREE}: in a git worktree of its own, Claude Code's {@code isolation: worktree}).
 * {@code launchMode}: how the {@code task} tool runs it when the call does not say ({@link Launch#BACKGROUND}: as a
 * background task, the front matter's {@code background: true}, DESIGN §18 "Background subagents").
 */
public record Agent(String name, String description, Mode mode, Optional<String> model, Optional<Double> temperature,
        Optional<Integer> steps, String prompt, List<Rule> permission, Optional<List<String>> tools, String source, Isolation isolation,
        Launch launchMode) {

    /** Where a subagent works: its parent's folder, or a git worktree of its own (DESIGN §19). */
    public enum Isolation { NONE, WORKTREE }

    /** How a {@code task} call that leaves {@code background} out runs the subagent: its caller waits, or it runs in the background. */
    public enum Launch { BLOCKING, BACKGROUND }

    public enum Mode {
        PRIMARY, SUBAGENT, ALL;

        public String wire() { return name().toLowerCase(Locale.ROOT); }

        public static Optional<Mode> parse(String text) {
            for (Mode m : values()) if (m.wire().equals(text)) return Optional.of(m);
            return Optional.empty();
        }
    }

    /** An agent that works in its parent's folder. */
    public Agent(String name, String description, Mode mode, Optional<String> model, Optional<Double> temperature, Optional<Integer> steps,
            String prompt, List<Rule> permission, Optional<List<String>> tools, String source) {
        this(name, description, mode, model, temperature, steps, prompt, permission, tools, source, Isolation.NONE);
    }

    /** An agent its callers wait for, unless a call asks for the background. */
    public Agent(String name, String description, Mode mode, Optional<String> model, Optional<Double> temperature, Optional<Integer> steps,
            String prompt, List<Rule> permission, Optional<List<String>> tools, String source, Isolation isolation) {
        this(name, description, mode, model, temperature, steps, prompt, permission, tools, source, isolation, Launch.BLOCKING);
    }

    public Agent {
        // rules built without an origin (built-in, agent files) are this agent's layer, defined where it was
        String where = source.equals("builtin") ? "built-in" : source;
        permission = permission.stream().map(r -> r.origin().layer() == RuleOrigin.Layer.UNSTATED ? r.from(RuleOrigin.agent(name, where)) : r).toList();
        tools = tools.map(List::copyOf);
    }

    public boolean primary() { return mode != Mode.SUBAGENT; }

    public boolean subagent() { return mode != Mode.PRIMARY; }

    /** Whether the model is offered the tool {@code name} (and may run it) under this agent. */
    public boolean allowsTool(String name) {
        if (tools.isEmpty()) return true;
        boolean allowed = false;
        for (String entry : tools.get()) {
            boolean withdraw = entry.startsWith("!");
            if (glob(withdraw ? entry.substring(1) : entry, name)) allowed = !withdraw;
        }
        return allowed;
    }

    /** This agent with {@code more} rules on top of its own (a rule for the same permission and pattern replaces its). */
    public Agent withPermission(List<Rule> more) {
        List<Rule> rules = new java.util.ArrayList<>(permission);
        for (Rule r : more) {
            rules.removeIf(existing -> existing.permission().equals(r.permission()) && existing.pattern().equals(r.pattern()));
            rules.add(r);
        }
        return new Agent(name, description, mode, model, temperature, steps, prompt, rules, tools, source, isolation, launchMode);
    }

    /** {@code *} matches any run of characters, {@code ?} one. */
    private static boolean glob(String pattern, String text) {
        return java.util.regex.Pattern.matches(java.util.regex.Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"), text);
    }
}
