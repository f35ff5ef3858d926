package dev.lathe.app;

import dev.lathe.acp.AcpAgent;
import dev.lathe.client.LatheClientException;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.run.console.ExitCode;
import dev.lathe.server.LatheServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lathe acp}: Lathe as an Agent Client Protocol agent on stdio, for editors (DESIGN §14, §18). It is a client of
 * the daemon, started when none runs, with the configuration {@code lathe run} takes (this shell's variables and
 * folders); only ACP messages reach standard output, and logs go to standard error, where editors keep an agent's log.
 */
@Command(name = "acp", mixinStandardHelpOptions = true, description = "Serve an editor over the Agent Client Protocol on stdio (Zed, JetBrains, Neovim).")
final class AcpCommand implements Callable<Integer> {
    @Option(names = "--attach", paramLabel = "URL", description = "use this server instead of the daemon")
    Optional<URI> attach = Optional.empty();

    @Override
    public Integer call() {
        // stdout is the protocol's: anything else that would print there (a library, a stray note) goes to stderr
        var protocolOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        LogRouting.toStandardError();
        String directory = Path.of("").toAbsolutePath().normalize().toString();
        LatheApi api;
        try {
            api = attach.isPresent() ? Backends.remote(attach.get(), directory).api() : daemonOrInProcess(directory, TerminalOutput.errStream());
        } catch (LatheServer.StartupException e) {
            TerminalOutput.err().println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        try (api) {
            new AcpAgent(api, Path.of(directory)).serve(new FileInputStream(FileDescriptor.in), protocolOut);
        }
        return ExitCode.FINISHED;
    }

    /** The daemon, started when none runs; the core in this process when it cannot be started (one line says why). */
    private static LatheApi daemonOrInProcess(String directory, PrintStream err) {
        try {
            return Backends.startedDaemon(directory, err).api();
        } catch (LatheClientException e) {
            err.println("lathe: could not start the background server, serving from this process: " + e.getMessage().lines().findFirst().orElse(""));
            return LatheServer.embedded(Backends.env());
        }
    }
}
