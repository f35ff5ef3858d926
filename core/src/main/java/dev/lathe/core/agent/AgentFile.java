package dev.lathe.core.agent;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.OpenCodeFile;
import dev.lathe.core.markdown.FrontMatter;
import dev.lathe.core.markdown.FrontMatter.Fields;
import dev.lathe.core.markdown.FrontMatter.Items;
import dev.lathe.core.markdown.FrontMatter.Text;
import dev.lathe.core.markdown.FrontMatter.Value;
import dev.lathe.core.markdown.FrontMatterException;
import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One agent Markdown file: front matter for the fields, the body for the prompt (docs/decisions.md §46). Three
 * dialects, told apart by the folder the file is in: Lathe's own ({@code .lathe/agents/}, the global agents folder),
 * strict, with the fields of a config {@code agent.<name>} object; OpenCode's ({@code .opencode/agent(s)/}); and
 * Claude Code's ({@code .claude/agents/}), whose tool names, model aliases and {@code permissionMode} are mapped to
 * Lathe's and which always define subagents. Migration dialects ignore the fields Lathe has no use for.
 */
final class AgentFile {
    enum Dialect { LATHE, OPENCODE, CLAUDE }

    /** What is wrong with a file, at which line (1-based; 0 when it is the file as a whole). */
    static final class Problem extends RuntimeException {
        final int line;

        Problem(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<String> LATHE_KEYS = Set.of("name", "description", "mode", "model", "temperature", "steps", "permission", "tools",
            "isolation", "background");

    /** Claude Code tool names and the Lathe tools that do the same; names not listed have no counterpart and are dropped. */
    static final Map<String, List<String>> CLAUDE_TOOLS = Map.ofEntries(
            Map.entry("Read", List.of("read")),
            Map.entry("Write", List.of("write")),
            Map.entry("Edit", List.of("edit")),
            Map.entry("MultiEdit", List.of("edit", "apply_patch")),
            Map.entry("Bash", List.of("bash", "bash_output", "bash_kill")),
            Map.entry("BashOutput", List.of("bash_output")),
            Map.entry("KillShell", List.of("bash_kill")),
            Map.entry("KillBash", List.of("bash_kill")),
            Map.entry("Grep", List.of("grep")),
            Map.entry("Glob", List.of("glob")),
            Map.entry("LS", List.of("list")),
            Map.entry("WebFetch", List.of("webfetch")),
            Map.entry("WebSearch", List.of("websearch")),
            Map.entry("TodoWrite", List.of("todo", "todoread")),
            Map.entry("TodoRead", List.of("todoread")),
            Map.entry("NotebookRead", List.of("read")),
            Map.entry("Task", List.of("task")),
            Map.entry("Agent", List.of("task")),
            Map.entry("AskUserQuestion", List.of("question")),
            Map.entry("Skill", List.of("skill")));

    /** Permission keys {@code bypassPermissions} opens (besides {@code *}): the ones defaults or configs usually set. */
    static final List<String> BYPASS_KEYS = List.of("*", "read", "edit", "bash", "list", "glob", "grep", "webfetch",
            "external_directory", "task", "skill", "question");

    private AgentFile() {}

    /**
     * The definition in {@code text} (the file {@code fileName} of {@code dialect}); empty for a file that disables its
     * agent ({@code disable: true}, OpenCode). {@code smallModel} is what Claude's {@code haiku} becomes.
     *
     * @throws Problem naming the line of what is wrong
     */
    static Optional<AgentSpec> parse(String text, String fileName, String source, Dialect dialect, Optional<String> smallModel) {
        FrontMatter fm;
        try {
            fm = FrontMatter.parse(text);
        } catch (FrontMatterException e) {
            throw new Problem(e.line(), e.reason());
        }
        Map<String, Value> f = fm.fields();
        if (dialect == Dialect.LATHE) {
            for (Map.Entry<String, Value> e : f.entrySet()) {
                if (!LATHE_KEYS.contains(e.getKey())) {
                    throw new Problem(e.getValue().line(), "unknown key '" + e.getKey() + "' (expected one of "
                            + String.join(", ", LATHE_KEYS.stream().sorted().toList()) + "; the prompt is the text after the front matter)");
                }
            }
        }
        if (dialect == Dialect.OPENCODE && get(f, "disable").map(n -> bool(n, "disable")).orElse(false)) return Optional.empty();
        String base = fileName.endsWith(".md") ? fileName.substring(0, fileName.length() - 3) : fileName;
        String name = get(f, "name").map(n -> scalar(n, "name")).filter(s -> !s.isBlank()).orElse(base);
        if (!NAME.matcher(name).matches()) {
            throw new Problem(get(f, "name").map(Value::line).orElse(0), "'" + name + "' is not a usable agent name (letters, digits, '.', '_', '-')");
        }
        Optional<String> description = get(f, "description").map(n -> scalar(n, "description").strip());
        Optional<Double> temperature = get(f, "temperature").map(AgentFile::temperature);
        Optional<String> prompt = Optional.of(fm.body().strip()).filter(b -> !b.isBlank());
        return Optional.of(switch (dialect) {
            case LATHE, OPENCODE -> new AgentSpec(name, description, get(f, "mode").map(AgentFile::mode),
                    get(f, "model").map(AgentFile::model).filter(m -> !m.isEmpty()), temperature,
                    get(f, dialect == Dialect.OPENCODE && get(f, "steps").isEmpty() ? "maxSteps" : "steps").map(n -> steps(n, "steps")),
                    prompt, withSwitchedOff(get(f, "permission").map(AgentFile::permission).orElse(List.of()), get(f, "tools"), dialect),
                    get(f, "tools").map(n -> tools(n, dialect)), source, dialect == Dialect.LATHE ? get(f, "isolation").map(AgentFile::isolation)
                            : Optional.empty(), dialect == Dialect.LATHE ? get(f, "background").map(AgentFile::launch) : Optional.empty());
            case CLAUDE -> new AgentSpec(name, description, Optional.of(Agent.Mode.SUBAGENT),
                    get(f, "model").flatMap(n -> claudeModel(n, smallModel)), temperature,
                    get(f, "maxTurns").map(n -> steps(n, "maxTurns")), prompt,
                    get(f, "permissionMode").map(AgentFile::permissionMode).orElse(List.of()),
                    claudeTools(get(f, "tools"), get(f, "disallowedTools")), source, get(f, "isolation").map(AgentFile::isolation),
                    get(f, "background").map(AgentFile::launch));
        });
    }

    // ---- fields

    private static Optional<Value> get(Map<String, Value> f, String key) { return Optional.ofNullable(f.get(key)); }

    private static String scalar(Value n, String key) {
        // stripped: a | or > block value ends in a line break
        if (n instanceof Text s) return s.text().strip();
        throw new Problem(n.line(), key + ": expected a single value");
    }

    private static boolean bool(Value n, String key) {
        String v = scalar(n, key).toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new Problem(n.line(), key + ": expected true or false");
        };
    }

    private static Agent.Mode mode(Value n) {
        String v = scalar(n, "mode");
        return Agent.Mode.parse(v).orElseThrow(() -> new Problem(n.line(), "mode: expected primary, subagent or all, not '" + v + "'"));
    }

    private static String model(Value n) {
        String v = scalar(n, "model").strip();
        if (!v.isEmpty() && !v.contains("/")) throw new Problem(n.line(), "model: expected provider/model, not '" + v + "'");
        return v;
    }

    private static double temperature(Value n) {
        try {
            double t = Double.parseDouble(scalar(n, "temperature"));
            if (t >= 0 && t <= 2) return t;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Problem(n.line(), "temperature: expected a number from 0 to 2");
    }

    private static int steps(Value n, String key) {
        try {
            int s = Integer.parseInt(scalar(n, key).strip());
            if (s >= 1) return s;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Problem(n.line(), key + ": expected a whole number of at least 1");
    }

    /** {@code permission}: an action for everything, or permission → action, or permission → pattern → action. */
    static List<Rule> permission(Value n) {
        List<Rule> rules = new ArrayList<>();
        switch (n) {
            case Text s -> rules.add(new Rule("*", "*", action(s, "permission")));
            case Fields m -> {
                for (Map.Entry<String, Value> e : m.fields().entrySet()) {
                    String key = "permission." + e.getKey();
                    switch (e.getValue()) {
                        case Text s -> rules.add(new Rule(e.getKey(), "*", action(s, key)));
                        case Fields patterns -> {
                            for (Map.Entry<String, Value> p : patterns.fields().entrySet()) {
                                rules.add(new Rule(e.getKey(), p.getKey(), action(p.getValue(), key + "." + p.getKey())));
                            }
                        }
                        case Items q -> throw new Problem(q.line(), key + ": expected allow, ask, deny or pattern: action lines");
                    }
                }
            }
            case Items q -> throw new Problem(q.line(), "permission: expected an action or permission: action lines");
        }
        return rules;
    }

    private static Action action(Value n, String key) {
        String v = scalar(n, key).strip();
        return switch (v) {
            case "allow", "ask", "deny" -> Action.parse(v);
            default -> throw new Problem(n.line(), key + ": expected allow, ask or deny, not '" + v + "'");
        };
    }

    /** Lathe: a list of names (or {@code !name}), or a map of name → true/false; OpenCode: the map, names translated. */
    private static List<String> tools(Value n, Dialect dialect) {
        return switch (n) {
            case Items q -> q.items().stream().map(i -> scalar(i, "tools")).toList();
            case Fields m -> {
                Map<String, Boolean> enabled = switches(m);
                yield Config.AgentConfig.toolFilter(dialect == Dialect.OPENCODE ? OpenCodeFile.toolSwitches(enabled).enabled() : enabled);
            }
            case Text s -> throw new Problem(s.line(), "tools: expected a list of tool names or tool: true/false lines");
        };
    }

    private static Map<String, Boolean> switches(Fields m) {
        Map<String, Boolean> enabled = new LinkedHashMap<>();
        for (Map.Entry<String, Value> e : m.fields().entrySet()) enabled.merge(e.getKey(), bool(e.getValue(), "tools." + e.getKey()), Boolean::logicalAnd);
        return enabled;
    }

    /**
     * OpenCode: a tool switched off also denies its permission ({@link OpenCodeFile#toolSwitches}), unless the file's own
     * {@code permission} names that key (OpenCode lets {@code permission} win).
     */
    private static List<Rule> withSwitchedOff(List<Rule> permission, Optional<Value> tools, Dialect dialect) {
        if (dialect != Dialect.OPENCODE || !(tools.orElse(null) instanceof Fields m)) return permission;
        List<Rule> out = new ArrayList<>(permission);
        for (String key : OpenCodeFile.toolSwitches(switches(m)).denied()) {
            if (permission.stream().noneMatch(r -> r.permission().equals(key))) out.add(new Rule(key, "*", Action.DENY));
        }
        return out;
    }

    // ---- Claude Code

    /** {@code tools: Read, Grep} (or a list) → Lathe names; {@code disallowedTools} removes. Absent: every tool. */
    private static Optional<List<String>> claudeTools(Optional<Value> tools, Optional<Value> disallowed) {
        List<String> out = new ArrayList<>();
        boolean restricted = tools.isPresent() && !(tools.get() instanceof Text s && s.text().isBlank());
        if (restricted) {
            for (String t : claudeNames(tools.get())) out.addAll(t.equals("*") ? List.of("*") : CLAUDE_TOOLS.getOrDefault(t, List.of()));
        } else {
            out.add("*");
        }
        if (disallowed.isPresent()) for (String t : claudeNames(disallowed.get())) CLAUDE_TOOLS.getOrDefault(t, List.of()).forEach(x -> out.add("!" + x));
        if (!restricted && disallowed.isEmpty()) return Optional.empty();
        return Optional.of(out.stream().distinct().toList());
    }

    /** Comma-separated or a list; {@code Bash(git diff:*)} names the tool {@code Bash}. */
    private static List<String> claudeNames(Value n) {
        List<String> raw = switch (n) {
            case Text s -> List.of(s.text().split(","));
            case Items q -> q.items().stream().map(i -> scalar(i, "tools")).toList();
            case Fields m -> throw new Problem(m.line(), "tools: expected tool names separated by commas");
        };
        return raw.stream().map(String::strip).filter(t -> !t.isEmpty()).map(t -> t.contains("(") ? t.substring(0, t.indexOf('(')).strip() : t).toList();
    }

    /** {@code inherit}, {@code sonnet}, {@code opus}: the session's model; {@code haiku}: the small one; {@code provider/model} as is. */
    private static Optional<String> claudeModel(Value n, Optional<String> smallModel) {
        String v = scalar(n, "model").strip();
        if (v.equals("haiku")) return smallModel;
        if (v.contains("/")) return Optional.of(v);
        // inherit, sonnet, opus, or a bare model id whose provider is unknown: the session's model
        return Optional.empty();
    }

    /** Claude Code's {@code isolation: worktree}: the subagent works in a git worktree of its own. */
    private static Agent.Isolation isolation(Value n) {
        String v = scalar(n, "isolation").strip();
        if (v.equals("worktree")) return Agent.Isolation.WORKTREE;
        throw new Problem(n.line(), "isolation: expected worktree (or leave it out), not '" + v + "'");
    }

    /** {@code background: true} (Lathe's and Claude Code's): the {@code task} tool runs the agent in the background unless a call says otherwise. */
    private static Agent.Launch launch(Value n) {
        return bool(n, "background") ? Agent.Launch.BACKGROUND : Agent.Launch.BLOCKING;
    }

    private static List<Rule> permissionMode(Value n) {
        String v = scalar(n, "permissionMode").strip();
        return switch (v) {
            case "default", "auto", "dontAsk" -> List.of();
            case "acceptEdits" -> List.of(new Rule("edit", "*", Action.ALLOW));
            case "bypassPermissions" -> BYPASS_KEYS.stream().map(k -> new Rule(k, "*", Action.ALLOW)).toList();
            case "plan" -> BuiltinAgents.READ_ONLY_RULES;
            default -> throw new Problem(n.line(), "permissionMode: expected default, acceptEdits, bypassPermissions, plan, auto or dontAsk, not '" + v + "'");
        };
    }
}
