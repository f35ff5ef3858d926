package dev.lathe.core.permission.bash;

import java.nio.file.Path;
import java.util.List;

/**
 * One simple command the line would run: its words after quote removal with the command name normalised
 * ({@code \rm}, {@code "rm"}, {@code /bin/rm} → {@code rm}); {@code name} is the name as written. {@code cwd} is the
 * tracked folder it runs in (null when unknown). {@code role} says whether it is an ordinary command, a transparent
 * wrapper (decided by what it runs) or a wrapper that changes privileges (checked on its own too). {@code notReadOnly}
 * says why {@link ReadOnlyCommands} does not judge it read-only; null when it does.
 */
public record SimpleCommand(List<String> words, String name, Path cwd, Role role, String notReadOnly) {
    public enum Role { COMMAND, WRAPPER, ELEVATING }

    public SimpleCommand {
        words = List.copyOf(words);
    }

    /** Whether the command only looks ({@link ReadOnlyCommands}): what a read-only list allows. */
    public boolean readOnly() { return notReadOnly == null; }

    /** The words joined by single spaces: what bash rules match against (DESIGN §18). */
    public String line() { return String.join(" ", words); }

    /**
     * Every form the rules are matched against, the strictest answer winning: the {@link #line} as written and, for
     * git with global options before its sub-command, the line without them ({@code git -c k=v push origin} is also
     * {@code git push origin}, so a rule written for {@code git push} holds).
     */
    public List<String> forms() {
        List<String> stripped = !words.isEmpty() && GitGlobals.isGit(words.getFirst()) ? GitGlobals.withoutGlobals(words) : List.of();
        return stripped.isEmpty() ? List.of(line()) : List.of(line(), String.join(" ", stripped));
    }
}
