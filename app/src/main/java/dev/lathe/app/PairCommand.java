package dev.lathe.app;

import dev.lathe.protocol.api.LoginCode;
import dev.lathe.run.console.ExitCode;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lathe pair}: hands a phone a login to the web UI (DESIGN §18 "Pairing"). Prints a one-time login URL of the
 * running server (the user's daemon, started when none runs; a team node with {@code --attach}, logged in as the
 * token's user) and the same URL as a QR code in Unicode blocks. The code works once, for {@code --minutes} (default
 * 10, at most 60). The URL is on the first line of standard output alone, for scripts.
 */
@Command(name = "pair", mixinStandardHelpOptions = true,
        description = "Log a phone in to the web UI: a one-time login URL and its QR code (valid 10 minutes, works once).")
final class PairCommand implements Callable<Integer> {
    static final int DEFAULT_MINUTES = 10;
    static final int MAX_MINUTES = 60;

    @Option(names = "--minutes", paramLabel = "M", description = "how long the code works, 1 to 60 (default: 10)")
    int minutes = DEFAULT_MINUTES;

    @Option(names = "--attach", paramLabel = "URL", description = "pair with that team node as the user of LATHE_SERVER_TOKEN (starts no server here)")
    Optional<URI> attach = Optional.empty();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (minutes < 1 || minutes > MAX_MINUTES) {
            err.println("lathe: --minutes must be between 1 and " + MAX_MINUTES + ", not " + minutes);
            return ExitCode.USAGE;
        }
        LoginCode code;
        try {
            code = LoginLinks.of(Path.of("").toAbsolutePath().normalize().toString(), attach, minutes, "lathe pair");
        } catch (UsageError e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        boolean unreachable = loopback(code.url());
        if (unreachable) {
            // said before the code, not under it: a user scans what they see first (issue 71)
            err.println("lathe: this server answers on this machine only, so a phone cannot reach the link below: serve it behind"
                    + " a TLS proxy (lathe serve --public-url URL) or reach it through a tunnel (docs/web.md#remote-use)");
            err.flush();
        }
        out.println(code.url());
        // no code a phone would scan in vain: the link alone is for a browser on this machine (issue 82)
        if (!unreachable) out.print(TerminalQr.of(code.url()));
        out.flush();
        String valid = "it works once, for " + minutes + (minutes == 1 ? " minute." : " minutes.");
        err.println(unreachable ? "lathe: a browser on this machine can open the link; " + valid : "lathe: scan the code with the phone, or open the link on it; " + valid);
        err.flush();
        return ExitCode.FINISHED;
    }

    /** Whether the link names this machine's loopback, which no phone reaches (the server's default, DESIGN §6). */
    static boolean loopback(String url) {
        String host = URI.create(url).getHost();
        if (host == null) return false;
        if (host.equalsIgnoreCase("localhost")) return true;
        try {
            // a literal address only: no name is looked up
            return host.matches("[0-9.]+|\\[[0-9a-fA-F:.]+\\]") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
