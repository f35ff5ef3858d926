package dev.lathe.core.command;

import dev.lathe.core.git.ReviewDiff;
import dev.lathe.protocol.api.LatheException;
import java.util.Optional;

/**
 * The arguments of {@code /review}: {@code [--uncommitted | --base REF | --commit SHA] [--focus] [TEXT...]}. Words
 * that are no option are the focus, so {@code /review --base main error handling} reads as the user means it;
 * everything after {@code --focus} is the focus word for word ({@code lathe review --focus TEXT} sends it last).
 */
record ReviewArguments(ReviewDiff.Scope scope, Optional<String> focus) {
    static final String USAGE = "/review [--uncommitted | --base REF | --commit SHA] [--focus TEXT]";

    static ReviewArguments parse(String arguments) {
        String rest = arguments.strip();
        ReviewDiff.Scope scope = null;
        StringBuilder focus = new StringBuilder();
        while (!rest.isEmpty()) {
            String[] split = rest.split("\\s+", 2);
            String word = split[0];
            String after = split.length > 1 ? split[1] : "";
            if (word.equals("--focus")) {
                append(focus, after);
                break;
            }
            switch (word) {
                case "--uncommitted" -> scope = only(scope, new ReviewDiff.Scope.Uncommitted());
                case "--base", "--commit" -> {
                    String[] value = after.isEmpty() ? new String[0] : after.split("\\s+", 2);
                    if (value.length == 0 || value[0].startsWith("--")) throw new LatheException.InvalidInput(word + " needs a value; usage: " + USAGE);
                    scope = only(scope, word.equals("--base") ? new ReviewDiff.Scope.Base(value[0]) : new ReviewDiff.Scope.Commit(value[0]));
                    after = value.length > 1 ? value[1] : "";
                }
                default -> {
                    if (word.startsWith("--")) throw new LatheException.InvalidInput("unknown option " + word + "; usage: " + USAGE);
                    append(focus, word);
                }
            }
            rest = after.strip();
        }
        String text = focus.toString().strip();
        return new ReviewArguments(scope == null ? new ReviewDiff.Scope.Uncommitted() : scope, text.isEmpty() ? Optional.empty() : Optional.of(text));
    }

    private static ReviewDiff.Scope only(ReviewDiff.Scope before, ReviewDiff.Scope next) {
        if (before != null) throw new LatheException.InvalidInput("give one of --uncommitted, --base REF and --commit SHA; usage: " + USAGE);
        return next;
    }

    private static void append(StringBuilder focus, String text) {
        if (text.isBlank()) return;
        if (!focus.isEmpty()) focus.append(' ');
        focus.append(text.strip());
    }
}
