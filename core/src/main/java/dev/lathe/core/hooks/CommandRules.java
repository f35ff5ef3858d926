package dev.lathe.core.hooks;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Permissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's {@code bash} rules, asked before a hook's or the status line's command starts (DESIGN §30: every path a
 * person configured runs under the rules the model's bash runs under). Only a denial stops it: what the rules would
 * ask, the configuration a person wrote (and trusted, pinned) already answered, and nobody is there to ask while a hook
 * runs. There is deliberately no instance that denies nothing: each caller names the rules its session is held to.
 */
@FunctionalInterface
public interface CommandRules {
    /** Why the rules deny {@code commandLine} outright, in the user's words; empty when they do not. */
    Optional<String> denial(String commandLine);

    /** The rules a tool call is held to ({@link Permissions#denies}, its deny rules and managed policy included). */
    static CommandRules of(Permissions permissions) {
        return line -> permissions.denies(new PermissionCheck("bash", PermissionSource.Pattern.COMMAND, List.of(line), List.of(line),
                "Run " + line, Map.of())) ? Optional.of("a bash deny rule refuses it: runs `" + line + "`") : Optional.empty();
    }
}
