package dev.lathe.app;

import dev.lathe.protocol.api.Delivery;
import dev.lathe.run.console.OutputFormat;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The plain forms of {@code lathe run}'s arguments, read without picocli. picocli's classes are Java 5 bytecode, which
 * the JDK's AOT cache cannot hold, so building its command model loads and verifies ~150 classes from the jar on every
 * start (about 0.1 s before the first model request). This reader takes only the unambiguous forms — {@code --name
 * value}, {@code --name=value}, the flags, words that start with neither {@code -} nor {@code @} — and declines anything else
 * (help, version, an unknown or repeated option, a bad value, {@code --}), which then goes through picocli as before,
 * with its messages and usage. {@code RunArgumentsTest} checks both readers agree.
 */
final class RunArguments {
    private static final Set<String> VALUED = Set.of("--dir", "--model", "--agent", "--session", "--format", "--attach", "--deliver");
    private static final Set<String> FLAGS = Set.of("--continue", "--allow-all", "--standalone", "--local-only", "--auto");

    private RunArguments() {}

    /** The command {@code args} (after {@code run}) describe, or empty when picocli should read them. */
    static Optional<RunCommand> read(String[] args) {
        var command = new RunCommand();
        Set<String> seen = new HashSet<>();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            // picocli would expand an @file argument into the file's words
            if (arg.startsWith("@")) return Optional.empty();
            if (!arg.startsWith("-")) {
                words.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            if (!seen.add(name)) return Optional.empty();
            if (FLAGS.contains(name) && eq < 0) {
                switch (name) {
                    case "--continue" -> command.continueLatest = true;
                    case "--standalone" -> command.standalone = true;
                    case "--local-only" -> command.localOnly = true;
                    case "--auto" -> command.auto = true;
                    default -> command.allowAll = true;
                }
                continue;
            }
            if (!VALUED.contains(name)) return Optional.empty();
            String value;
            if (eq > 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                value = args[++i];
            } else {
                return Optional.empty();
            }
            if (!set(command, name, value)) return Optional.empty();
        }
        command.message = List.copyOf(words);
        return Optional.of(command);
    }

    private static boolean set(RunCommand command, String name, String value) {
        try {
            switch (name) {
                case "--dir" -> command.dir = Optional.of(Path.of(value));
                case "--model" -> command.model = Optional.of(value);
                case "--agent" -> command.agent = Optional.of(value);
                case "--session" -> command.session = Optional.of(value);
                case "--format" -> command.format = OutputFormat.valueOf(value);
                case "--attach" -> command.attach = Optional.of(new URI(value));
                case "--deliver" -> command.deliver = Optional.of(Delivery.valueOf(value));
                default -> {
                    return false;
                }
            }
            return true;
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            return false;
        }
    }
}
