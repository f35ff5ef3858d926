package dev.lathe.app;

import dev.lathe.protocol.NearestName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * "Did you mean": the {@code lathe} command a mistyped first word most likely meant ({@code lathe sesions} →
 * {@code lathe sessions}). Judged before picocli parses, from the subcommands' names alone (no command model is built,
 * which would cost the start of every command). A word that is a folder is never a typo: {@code lathe DIR} names one.
 */
final class MistypedCommand {
    private MistypedCommand() {}

    /** The names of {@code lathe}'s commands, read from {@link Main}'s annotation. */
    static List<String> commands() {
        return Arrays.stream(Main.class.getAnnotation(Command.class).subcommands())
                .map(c -> c.getAnnotation(Command.class).name()).toList();
    }

    /** The command {@code word} was probably meant to be, when it is none itself and is close to exactly that one. */
    static Optional<String> meant(String word, List<String> commands) {
        if (!word.matches("[a-z]{2,}") || commands.contains(word) || Files.exists(Path.of(word))) return Optional.empty();
        return commands.stream().filter(c -> close(word, c))
                .min(Comparator.comparingInt((String c) -> distance(word, c)).thenComparing(c -> c));
    }

    private static boolean close(String word, String command) {
        int allowed = Math.min(word.length(), command.length()) <= 4 ? 1 : 2;
        return distance(word, command) <= allowed || word.length() >= 3 && command.startsWith(word);
    }

    /** Edits (insert, delete, replace, or swapping two neighbours) from {@code a} to {@code b}. */
    static int distance(String a, String b) { return NearestName.distance(a, b); }
}
