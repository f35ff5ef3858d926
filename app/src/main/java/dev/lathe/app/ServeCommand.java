package dev.lathe.app;

import dev.lathe.server.LatheServer;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lathe serve}: the background server holding every session. */
@Command(name = "serve", description = "Run the Lathe server (HTTP + SSE API).", mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "N", description = "port (default: from config, else any free port)")
    Optional<Integer> port = Optional.empty();

    @Option(names = "--host", paramLabel = "H", description = "address to bind (default 127.0.0.1)")
    String host = "127.0.0.1";

    @Option(names = "--daemon", description = "run as the per-user daemon: exit after the idle timeout")
    boolean daemon;

    @Option(names = "--allow-remote", description = "allow binding to a non-loopback address (token still required)")
    boolean allowRemote;

    @Override
    public Integer call() throws Exception {
        try (var server = LatheServer.serve(System.getenv(), new LatheServer.ServeOptions(host, port, daemon, allowRemote))) {
            System.err.println("lathe server listening on " + server.url() + " (connection details in " + server.infoFile() + ")");
            server.awaitShutdown();
            return 0;
        } catch (LatheServer.StartupException e) {
            System.err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
    }
}
