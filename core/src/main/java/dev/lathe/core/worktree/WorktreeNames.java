package dev.lathe.core.worktree;

import dev.lathe.protocol.api.LatheException;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Worktree names: a user's checked (one folder name that is also a valid branch name after {@code lathe/}), or a
 * generated readable {@code adjective-animal} one not yet taken, as Claude Code makes them.
 */
final class WorktreeNames {
    /** Letters, digits, dot, dash and underscore: a folder name and a ref component everywhere git and a shell run. */
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int MAX_LENGTH = 64;
    private static final List<String> ADJECTIVES = List.of("brisk", "calm", "clever", "bold", "bright", "eager", "gentle", "keen", "lively",
            "merry", "nimble", "quiet", "quick", "steady", "sunny", "swift", "tidy", "witty", "zesty", "plucky", "jolly", "mellow", "noble", "cosy");
    private static final List<String> ANIMALS = List.of("otter", "falcon", "badger", "heron", "lynx", "marten", "panda", "puffin", "raven",
            "seal", "stoat", "tapir", "walrus", "wombat", "yak", "zebra", "beaver", "crane", "dingo", "gecko", "ibis", "koala", "lemur", "newt");
    private static final SecureRandom RANDOM = new SecureRandom();

    private WorktreeNames() {}

    /** {@code name} when it can name a worktree folder and branch, else a clear refusal saying what is wrong. */
    static String check(String name) {
        if (name.isBlank()) throw new LatheException.InvalidInput("a worktree name cannot be empty");
        if (name.contains("/") || name.contains("\\")) {
            throw new LatheException.InvalidInput("invalid worktree name '" + name + "': it cannot contain '/' (it names one folder under .lathe/worktrees/)");
        }
        if (name.contains("..")) throw new LatheException.InvalidInput("invalid worktree name '" + name + "': it cannot contain '..'");
        if (name.length() > MAX_LENGTH) throw new LatheException.InvalidInput("invalid worktree name: longer than " + MAX_LENGTH + " characters");
        if (!ALLOWED.matcher(name).matches() || name.startsWith(".") || name.startsWith("-") || name.endsWith(".lock") || name.endsWith(".")) {
            throw new LatheException.InvalidInput("invalid worktree name '" + name
                    + "': use letters, digits, '.', '-' and '_' (not first), as in a branch name (lathe/NAME)");
        }
        return name;
    }

    /** A readable name {@code taken} does not hold, with a number after it in the unlikely case all tries were taken. */
    static String generate(Predicate<String> taken) {
        for (int i = 0; i < 20; i++) {
            String name = ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "-" + ANIMALS.get(RANDOM.nextInt(ANIMALS.size()));
            if (!taken.test(name)) return name;
        }
        for (int n = 2; ; n++) {
            String name = "worktree-" + n;
            if (!taken.test(name)) return name;
        }
    }
}
