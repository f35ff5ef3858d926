package dev.lathe.app;

import dev.lathe.run.console.ExitCode;
import dev.lathe.server.local.LocalCommands;
import dev.lathe.term.VisibleControls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lathe debug permission --dir DIR}: what the permission rules of a project decide, for rule writers and
 * scripts. Reads NDJSON requests from stdin ({@code {"tool":"bash","command":"..."}}, {@code {"tool":"read"|"edit",
 * "path":"..."}}, or any other tool with an optional {@code "value"}) and prints exactly one NDJSON line per input
 * line, in order: {@code {"decision", "commands", "rule", "reason", "layer", "source"}} (the deciding rule's layer
 * and file, or what decided without a rule), or {@code {"error"}} for a line it cannot read.
 * The rules are those of the config files (with the managed policy) and the permission layer of the agent named by
 * {@code --agent} (built in, from config or from an agent file); "always" answers stored by a server are not included.
 * Each request is decided by the function a turn's permission gate calls, over the checks the tool would make
 * ({@link LocalCommands#permissions}).
 */
@Command(name = "permission", mixinStandardHelpOptions = true,
        description = "Print what the permission rules decide for NDJSON requests read from stdin.")
final class PermissionDebugCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", description = "project folder (default: current folder)")
    Path dir = Path.of("");

    @Option(names = "--agent", description = "agent whose permission layer applies (default: build)")
    String agent = "build";

    @Option(names = "--auto", paramLabel = "COMMAND", description = "show what the rules, the hardDeny list and the auto-approval classifier"
            + " would each do with this bash command, instead of reading stdin")
    Optional<String> auto = Optional.empty();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path project = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(project)) {
            err.println("lathe: --dir " + dir + " is not a folder");
            return ExitCode.USAGE;
        }
        LocalCommands.PermissionLines rules;
        try {
            rules = LocalCommands.of(System.getenv()).permissions(project, agent, w -> err.println("lathe: " + w));
        } catch (LocalCommands.Failure e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (auto.isPresent()) {
            // the command and the reasons may carry control characters: shown, never sent to the terminal
            rules.auto(auto.get()).forEach(l -> out.println(VisibleControls.line(l)));
            out.flush();
            return ExitCode.FINISHED;
        }
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            out.println(rules.answer(line));
            out.flush();
        }
        return ExitCode.FINISHED;
    }
}
