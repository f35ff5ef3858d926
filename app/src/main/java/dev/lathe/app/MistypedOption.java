package dev.lathe.app;

import dev.lathe.protocol.NearestName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * "Did you mean" for a word picocli could not match after the command was chosen: a mistyped option
 * ({@code lathe --verison}, {@code lathe run --modle M}) or subcommand ({@code lathe worktree lsit}). The first word of
 * {@code lathe} is judged earlier by {@link MistypedCommand}, before any command model is built.
 */
final class MistypedOption {
    private MistypedOption() {}

    /** The line to print instead of picocli's message and usage, when an unmatched word is close to one the command has. */
    static Optional<String> meant(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) return Optional.empty();
        String word = unmatched.getUnmatched().getFirst();
        CommandLine.Model.CommandSpec spec = e.getCommandLine().getCommandSpec();
        String name = word.contains("=") && word.startsWith("--") ? word.substring(0, word.indexOf('=')) : word;
        List<String> known = new ArrayList<>();
        if (name.startsWith("-")) {
            spec.options().forEach(o -> known.addAll(List.of(o.names())));
        } else {
            known.addAll(spec.subcommands().keySet());
        }
        String help = spec.qualifiedName() + " --help";
        return NearestName.of(name, known).map(n -> "unknown " + (name.startsWith("-") ? "option" : "command") + " '" + name + "'; did you mean '" + n
                + "'? (" + help + " lists them)");
    }
}
