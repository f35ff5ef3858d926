package dev.lathe.run.console;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a message of {@code lathe run} is meant as a command (DESIGN §3: a MESSAGE that starts with / and names a
 * command runs it): its first word is {@code /NAME} where NAME has the shape of a command name (letters, digits,
 * {@code - _ . :}; no further {@code /}). So {@code /nosuch} is a mistyped command, an error rather than text for the
 * model, while {@code /etc/hosts: what is it?} is a path and goes to the model as it is.
 */
final class SlashCommand {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]*");

    private SlashCommand() {}

    /** The command name {@code message} starts with, when its first word has a command's shape. */
    static Optional<String> nameOf(String message) {
        if (!message.startsWith("/")) return Optional.empty();
        String first = message.substring(1).split("\\s+", 2)[0];
        return NAME.matcher(first).matches() ? Optional.of(first) : Optional.empty();
    }
}
