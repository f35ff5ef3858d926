package dev.lathe.core.permission;

import dev.lathe.core.permission.bash.Analysis;
import dev.lathe.core.permission.bash.Programs;
import dev.lathe.core.permission.bash.SimpleCommand;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * "Always" suggestions: one prefix rule per sub-command, {@code git status *} for tools with subcommands and
 * {@code ls *} for the rest, but the exact line for a shell, an interpreter or a destructive program
 * ({@code rm -rf build}, {@code python3 gen.py}: a rule {@code rm *} would allow deleting anything). None for a dynamic line (no rule could cover what it really runs), none for a wrapper or
 * privilege-changing line (a rule {@code sudo *} would allow everything), and none for what sudo runs (approving
 * {@code sudo rm x} must not turn into {@code rm *}). When a subcommand tool has an option before its subcommand
 * ({@code git -c k=v log}) the exact line is offered instead of a prefix, and with it the exact line without git's
 * global options ({@code git log}), since the rules are matched against that form too and the strictest answer wins.
 * An exact line is offered only when its words hold no blank: rules match the words joined by single spaces (DESIGN
 * §18), so approving {@code rm "my file"} as {@code rm my file} would also allow {@code rm my file}, which deletes two
 * other files; such a line gets no "always" (the user may still allow it once, or write the rule).
 */
final class AlwaysRules {
    private AlwaysRules() {}

    static final Set<String> SUBCOMMAND_TOOLS = Set.of("git", "npm", "pnpm", "yarn", "cargo", "go", "docker", "podman",
            "kubectl", "mvn", "./mvnw", "mvnw", "gradle", "./gradlew", "gradlew", "pip", "pip3", "bun", "deno", "make", "gh",
            "helm", "terraform", "dotnet", "poetry", "uv", "npx", "rustup", "brew", "apt", "apt-get", "systemctl", "java");

    static List<String> of(Analysis a) {
        if (a.dynamic()) return List.of();
        LinkedHashSet<String> out = new LinkedHashSet<>();
        boolean elevated = false;
        for (SimpleCommand c : a.commands()) {
            if (c.role() != SimpleCommand.Role.COMMAND) {
                elevated |= c.role() == SimpleCommand.Role.ELEVATING;
                continue;
            }
            if (elevated) continue;
            String rule = prefix(c.words());
            if (rule != null) out.add(rule);
            // the line is also matched without git's global options (strictest wins), so the approval names that form too
            if (rule != null && c.forms().size() > 1 && !c.forms().get(1).contains("*") && !c.forms().get(1).contains("?")) out.add(c.forms().get(1));
        }
        return new ArrayList<>(out);
    }

    static String prefix(List<String> words) {
        String name = words.getFirst();
        if (name.contains("*") || name.contains("?")) return null;
        // "rm *" or "python3 *" would allow anything at all: only the exact line is offered (the user may widen it)
        if (Programs.unbounded(name)) return exactLine(words);
        if (!SUBCOMMAND_TOOLS.contains(name)) return name + " *";
        if (words.size() == 1) return name;
        String sub = words.get(1);
        if (sub.matches("[A-Za-z][\\w:.-]*")) return name + " " + sub + " *";
        return exactLine(words);
    }

    /** The words as the one line a rule matches, or null when that rule would match more than this line. */
    private static String exactLine(List<String> words) {
        if (words.stream().anyMatch(w -> w.isEmpty() || w.chars().anyMatch(Character::isWhitespace))) return null;
        String line = String.join(" ", words);
        return line.contains("*") || line.contains("?") ? null : line;
    }
}
