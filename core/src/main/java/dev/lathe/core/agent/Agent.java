package dev.lathe.core.agent;

import dev.lathe.core.permission.Rule;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An agent (DESIGN §11): a system prompt with its own permission layer, tools, model and step limit. {@code mode}
 * says whether users pick it ({@code primary}), the {@code task} tool runs it ({@code subagent}), or both.
 * {@code model}: {@code provider/model} or empty for the session's. {@code tools}: the tool names it may use, empty
 * for all. {@code source}: where it was defined ({@code builtin}, {@code config}, or the markdown file's path).
 */
public record Agent(String name, String description, Mode mode, Optional<String> model, Optional<Double> temperature,
        Optional<Integer> steps, String prompt, List<Rule> permission, Optional<List<String>> tools, String source) {

    public enum Mode {
        PRIMARY, SUBAGENT, ALL;

        public String wire() { return name().toLowerCase(Locale.ROOT); }

        public static Optional<Mode> parse(String text) {
            for (Mode m : values()) if (m.wire().equals(text)) return Optional.of(m);
            return Optional.empty();
        }
    }

    public Agent {
        permission = List.copyOf(permission);
        tools = tools.map(List::copyOf);
    }

    public boolean primary() { return mode != Mode.SUBAGENT; }

    public boolean subagent() { return mode != Mode.PRIMARY; }
}
