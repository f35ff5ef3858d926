package dev.lathe.core.permission.bash;

import java.nio.file.Path;
import java.util.List;

/**
 * One simple command the line would run: its words after quote removal with the command name normalised
 * ({@code \rm}, {@code "rm"}, {@code /bin/rm} → {@code rm}); {@code name} is the name as written. {@code cwd} is the
 * tracked folder it runs in (null when unknown). {@code role} says whether it is an ordinary command, a transparent
 * wrapper (decided by what it runs) or a wrapper that changes privileges (checked on its own too).
 */
public record SimpleCommand(List<String> words, String name, Path cwd, Role role) {
    public enum Role { COMMAND, WRAPPER, ELEVATING }

    public SimpleCommand {
        words = List.copyOf(words);
    }

    /** The words joined by single spaces: what bash rules match against (DESIGN §18). */
    public String line() { return String.join(" ", words); }
}
