package dev.lathe.app;

import dev.lathe.protocol.api.LatheApi;
import dev.lathe.server.LatheServer;
import dev.lathe.tui.console.ExitCode;
import dev.lathe.tui.console.HeadlessRun;
import dev.lathe.tui.console.OutputFormat;
import dev.lathe.tui.console.RunOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lathe run [options] MESSAGE...}: one prompt, headless. */
@Command(name = "run", description = "Send one prompt, stream the answer, exit.", mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "project folder (default: current folder)")
    Optional<Path> dir = Optional.empty();

    @Option(names = "--model", paramLabel = "PROVIDER/MODEL")
    Optional<String> model = Optional.empty();

    @Option(names = "--agent", paramLabel = "NAME")
    Optional<String> agent = Optional.empty();

    @Option(names = "--session", paramLabel = "ID", description = "continue this session")
    Optional<String> session = Optional.empty();

    @Option(names = "--continue", description = "continue the latest session of this folder")
    boolean continueLatest;

    @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json: one event per line")
    OutputFormat format = OutputFormat.text;

    @Option(names = "--allow-all", description = "answer every permission ask with allow-once (default: reject)")
    boolean allowAll;

    @Option(names = "--attach", paramLabel = "URL", description = "use this server instead of the daemon or an in-process one")
    Optional<URI> attach = Optional.empty();

    @Parameters(paramLabel = "MESSAGE", arity = "0..*")
    List<String> message = List.of();

    @Override
    public Integer call() throws Exception {
        String text = String.join(" ", message).strip();
        if (text.isEmpty()) {
            System.err.println("lathe: run needs a MESSAGE, e.g. lathe run \"explain this project\"");
            return ExitCode.USAGE;
        }
        if (session.isPresent() && continueLatest) {
            System.err.println("lathe: use either --session or --continue, not both");
            return ExitCode.USAGE;
        }
        Path directory = dir.orElse(Path.of("")).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            System.err.println("lathe: not a folder: " + directory);
            return ExitCode.USAGE;
        }
        var options = new RunOptions(directory.toString(), text, model, agent, session, continueLatest, format, allowAll);
        LatheApi api;
        try {
            api = backend(directory);
        } catch (LatheServer.StartupException e) {
            System.err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        try (api) {
            return new HeadlessRun(api, options, System.out, System.err).run();
        }
    }

    private LatheApi backend(Path directory) {
        if (attach.isPresent()) return Backends.remote(attach.get(), directory.toString()).api();
        return Backends.runningOrInProcess(directory.toString());
    }
}
