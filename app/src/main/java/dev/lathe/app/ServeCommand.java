package dev.lathe.app;

import dev.lathe.run.console.ExitCode;
import dev.lathe.server.LatheServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

    @Option(names = "--daemon", description = "run as the per-user daemon: exit after the idle timeout (config server.idleTimeoutMinutes, default 30)")
    boolean daemon;

    @Option(names = "--allow-remote", description = "allow binding to a non-loopback address (token still required)")
    boolean allowRemote;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "exit after this long with no client and no running session, e.g. 90s, 10m, 2h; 0 = never "
                    + "(default: the config's server.idleTimeoutMinutes with --daemon, never without)")
    Optional<Duration> idleTimeout = Optional.empty();

    @Option(names = "--public-url", paramLabel = "URL",
            description = "the https:// address a TLS reverse proxy serves this server at, e.g. https://lathe.example.com "
                    + "(its host and origin are accepted; web login links use it)")
    Optional<URI> publicUrl = Optional.empty();

    @Option(names = "--store", paramLabel = "URL",
            // the URL on a line of its own: picocli cuts a long word at its slashes where it does not fit (issue 42)
            description = {"keep sessions in PostgreSQL, as a team-server node:", "postgresql://USER:PASSWORD@HOST:PORT/DATABASE",
                    "({env:NAME} or {file:PATH} for the password; default: LATHE_STORE, the config's \"store\", else SQLite)"})
    Optional<String> store = Optional.empty();

    @Option(names = "--lease-seconds", paramLabel = "N",
            description = "with --store: how long this node's hold on a session it runs lasts without renewal; another node "
                    + "takes the session over after it (default: 15)")
    int leaseSeconds = 15;

    @Option(names = "--max-sessions", paramLabel = "N",
            description = "with --store: run at most N sessions at once; queued work beyond them is left to other nodes (default: no bound)")
    Optional<Integer> maxSessions = Optional.empty();

    @Option(names = "--drain",
            description = "drain the team node that runs from your folders: it takes no new turn, lets its running turns finish "
                    + "(config drain.seconds, default 60), hands its sessions to the other nodes and exits; waits for that")
    boolean drain;

    @Override
    public Integer call() throws Exception {
        if (drain) return ServeDrain.run(TerminalOutput.err());
        if (leaseSeconds < 1) {
            TerminalOutput.err().println("lathe: --lease-seconds must be at least 1, not " + leaseSeconds);
            return ExitCode.USAGE;
        }
        if (maxSessions.isPresent() && maxSessions.get() < 1) {
            TerminalOutput.err().println("lathe: --max-sessions must be at least 1, not " + maxSessions.get() + " (leave it out for no bound)");
            return ExitCode.USAGE;
        }
        if (publicUrl.isPresent()) {
            URI u = publicUrl.get();
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            // the UI's pages and requests use absolute paths: a proxy must serve the server at the root of its name
            if (u.getHost() == null || !java.util.Set.of("http", "https").contains(String.valueOf(u.getScheme()))
                    || !(path.isEmpty() || path.equals("/")) || u.getRawQuery() != null || u.getRawFragment() != null) {
                TerminalOutput.err().println("lathe: --public-url needs https://HOST[:PORT] (the proxy serves Lathe at the root of that name), not '" + u + "'");
                return ExitCode.USAGE;
            }
            if (u.getScheme().equals("http") && !java.util.Set.of("localhost", "127.0.0.1", "[::1]").contains(u.getHost())) {
                TerminalOutput.err().println("lathe: note: --public-url " + u + " is plain HTTP: the login code and cookie cross the network unencrypted");
            }
        }
        // a team node's log names the node in every line (several nodes' logs read together); the embedded default's is unchanged
        LatheServer.teamNode(System.getenv(), store).ifPresent(TerminalOutput::tagErrorLines);
        var options = new LatheServer.ServeOptions(host, port, daemon ? LatheServer.Mode.DAEMON : LatheServer.Mode.FOREGROUND,
                allowRemote ? LatheServer.Exposure.ALLOW_REMOTE : LatheServer.Exposure.LOOPBACK_ONLY, idleTimeout, publicUrl, store,
                java.time.Duration.ofSeconds(leaseSeconds), maxSessions.orElse(0));
        try (var server = LatheServer.serve(System.getenv(), options)) {
            TerminalOutput.err().println(stamp() + "lathe server (pid " + ProcessHandle.current().pid() + ") listening on " + server.url()
                    + " (connection details in " + server.infoFile() + ")"
                    + (server.idleTimeout().isPositive() ? "; exits after " + DurationConverter.format(server.idleTimeout()) + " idle" : ""));
            if (server.isRemote()) TerminalOutput.err().print(remoteNotice(URI.create(server.url()), server.infoFile()));
            TerminalOutput.err().flush();
            var reason = server.awaitShutdown();
            if (reason == LatheServer.StopReason.IDLE) {
                TerminalOutput.err().println(stamp() + "lathe server: no client and no running session for "
                        + DurationConverter.format(server.idleTimeout()) + "; exiting");
            }
            if (reason == LatheServer.StopReason.DRAINED) TerminalOutput.err().println(stamp() + "lathe server: drained; exiting");
            return 0;
        } catch (LatheServer.StartupException e) {
            TerminalOutput.err().println(stamp() + "lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
    }

    /** Daemon output goes to a log file shared by every start, so its lines say when. */
    private String stamp() {
        return daemon ? "[" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " : "";
    }

    /** How to reach a server bound beyond loopback without sending the token over plain HTTP (DESIGN §3). */
    static String remoteNotice(URI url, Path infoFile) {
        int port = url.getPort();
        String host = url.getHost();
        boolean wildcard = host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::");
        String sshHost = wildcard ? "<this machine>" : host;
        String target = wildcard ? "127.0.0.1" : host;
        return """
                lathe: serving beyond this machine on %1$s. Every request needs the token in %2$s, and plain HTTP \
                carries it unencrypted, so reach the server safely:
                  - an SSH tunnel (nothing else to set up), from your machine:
                      ssh -N -L %3$d:%5$s:%3$d USER@%4$s
                      LATHE_SERVER_TOKEN=<token from %2$s> lathe attach http://127.0.0.1:%3$d
                  - or a TLS reverse proxy (Caddy, nginx) that serves HTTPS and forwards to port %3$d, with \
                lathe serve --public-url https://<proxy name> (docs/web.md#remote-use), then
                      LATHE_SERVER_TOKEN=<token> lathe attach https://<proxy name>
                  With a tunnel or a proxy on this machine, the server can stay on 127.0.0.1 (no --allow-remote).
                """.formatted(url, infoFile, port, sshHost, target);
    }
}
