package dev.lathe.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The words after bare {@code lathe}: {@code [DIR] [PROMPT...]}. The first word is the folder when it names one;
 * the rest (or all, when the first is no folder) is the prompt, joined by spaces. A single word close to a command's
 * name ({@code lathe sesions}) is a mistyped command, not a prompt: sending it to the model would cost a request.
 */
record BareArguments(Optional<Path> dir, Optional<String> prompt) {

    /** @throws UsageError for a mistyped command */
    static BareArguments of(List<String> words, Set<String> commands) {
        if (words.isEmpty()) return new BareArguments(Optional.empty(), Optional.empty());
        String first = words.getFirst();
        boolean folder = Files.isDirectory(Path.of(first));
        if (!folder && words.size() == 1 && !first.contains(" ")) {
            // a two-letter command (db) is "close" to every two-letter word at distance 2: at most one edit short of it
            Optional<String> close = commands.stream().filter(c -> MistypedCommand.distance(c, first) <= Math.min(2, c.length() - 1))
                    .sorted().findFirst();
            if (close.isPresent()) {
                throw new UsageError("unknown command '" + first + "'; did you mean 'lathe " + close.get() + "'? (to send it as a prompt, write more"
                        + " than one word)");
            }
        }
        List<String> rest = folder ? words.subList(1, words.size()) : words;
        Optional<String> prompt = rest.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", rest)).filter(p -> !p.isBlank());
        return new BareArguments(folder ? Optional.of(Path.of(first)) : Optional.empty(), prompt);
    }
}
