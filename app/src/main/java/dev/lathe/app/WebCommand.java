package dev.lathe.app;

import dev.lathe.protocol.api.LoginCode;
import dev.lathe.tui.console.ExitCode;
import io.nayuki.qrcodegen.QrCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lathe web}: the web UI of the user's server, logged in (DESIGN §3, §18). Asks the daemon (started when none
 * runs) for a one-time code and opens its login URL in the browser; {@code --print-url} prints exactly that URL as
 * one line and exits, for scripts and for another device. The code works once, for 5 minutes.
 *
 * <p>On a team server (DESIGN §20) {@code --attach URL} asks that node instead, with the user's token
 * ({@code LATHE_SERVER_TOKEN}, as every {@code --attach}): the login is that user's, bound to that token. With a
 * user's token and no node named, only a server already running here is asked: a private server started in this HOME
 * would not know the token, and its empty board is not what the user looks for.
 */
@Command(name = "web", mixinStandardHelpOptions = true,
        description = "Open the web UI logged in (a one-time login link, valid 5 minutes).")
final class WebCommand implements Callable<Integer> {
    @Option(names = "--print-url", description = "print the one-time login URL and exit (opens nothing)")
    boolean printUrl;

    @Option(names = "--attach", paramLabel = "URL", description = "log in to that team node as the user of LATHE_SERVER_TOKEN (starts no server here)")
    Optional<java.net.URI> attach = Optional.empty();

    @Option(names = "--qr", description = "also draw the login URL as a QR code, to log in a phone (see docs/web.md#remote-use)")
    boolean qr;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String directory = java.nio.file.Path.of("").toAbsolutePath().normalize().toString();
        LoginCode code;
        try {
            code = loginCode(directory);
        } catch (UsageError e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (printUrl) {
            out.println(code.url());
            out.flush();
            if (qr) err.print(terminalQr(code.url()));
            err.flush();
            return ExitCode.FINISHED;
        }
        if (qr) err.print(terminalQr(code.url()));
        Optional<String> opened = open(code.url());
        if (opened.isPresent()) {
            err.println("lathe: opened the web UI in your browser (" + opened.get() + "); if nothing appeared, open this link within 5 minutes:");
        } else {
            err.println("lathe: could not open a browser here; open this link within 5 minutes (it works once):");
        }
        err.flush();
        out.println(code.url());
        out.flush();
        return ExitCode.FINISHED;
    }

    /**
     * A one-time login code: of the node named by {@code --attach}; with a user's token, of the server running here
     * (never one started for it); else of the user's daemon, started when none runs.
     *
     * @throws UsageError when the node cannot be reached, refuses the token, or none is named for a user's token
     */
    private LoginCode loginCode(String directory) {
        Optional<String> userToken = Optional.ofNullable(Backends.env().get("LATHE_SERVER_TOKEN")).filter(t -> !t.isBlank());
        if (attach.isEmpty() && userToken.isEmpty()) return Backends.startedDaemon(directory, TerminalOutput.errStream()).api().loginCode();
        java.net.URI node = attach.orElseGet(() -> dev.lathe.client.ServerDiscovery.find(dev.lathe.client.ServerDiscovery.defaultPath(Backends.env(), Backends.home()))
                .map(dev.lathe.client.ServerEndpoint::uri).orElseThrow(() -> new UsageError("LATHE_SERVER_TOKEN is set but no Lathe server runs here:"
                        + " name your team node with `lathe web --attach URL` (a server of your own started here would not know that token)")));
        String where = attach.isPresent() ? "the team node at " + node : "the Lathe server running here (" + node + ")";
        try (var api = Backends.remote(node, directory).api()) {
            return api.loginCode();
        } catch (dev.lathe.protocol.api.LatheException.Unauthorized e) {
            throw new UsageError(where + " refused the token" + (userToken.isPresent() ? " in LATHE_SERVER_TOKEN" : "")
                    + ": it is unknown there, was replaced or its user removed; ask an admin for a new one (lathe user token NAME)");
        } catch (dev.lathe.protocol.api.LatheException e) {
            throw new UsageError(where + " refused a web login: " + e.getMessage());
        } catch (dev.lathe.client.LatheClientException e) {
            throw new UsageError("cannot reach " + where + ": " + e.getMessage().lines().findFirst().orElse("")
                    + "; check the URL and that the node runs (lathe serve --store …)");
        }
    }

    /** Starts the user's browser on {@code url}: {@code $BROWSER}, else the platform's opener; the opener used, or empty. */
    private static Optional<String> open(String url) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        var candidates = new java.util.ArrayList<List<String>>();
        Optional.ofNullable(System.getenv("BROWSER")).filter(b -> !b.isBlank()).ifPresent(b -> candidates.add(List.of(b, url)));
        if (os.contains("mac")) candidates.add(List.of("open", url));
        else if (os.contains("win")) candidates.add(List.of("rundll32", "url.dll,FileProtocolHandler", url));
        else candidates.add(List.of("xdg-open", url));
        for (List<String> command : candidates) {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                // openers hand over to the browser and exit; a failure shows as a quick non-zero exit
                if (p.waitFor(3, TimeUnit.SECONDS) && p.exitValue() != 0) continue;
                return Optional.of(command.getFirst());
            } catch (IOException e) {
                // not installed here: try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** {@code text} as a QR code drawn with half blocks, two modules per character row, dark on light. */
    static String terminalQr(String text) {
        QrCode code = QrCode.encodeText(text, QrCode.Ecc.LOW);
        int border = 2;
        var sb = new StringBuilder();
        for (int y = -border; y < code.size + border; y += 2) {
            for (int x = -border; x < code.size + border; x++) {
                boolean top = dark(code, x, y);
                boolean bottom = dark(code, x, y + 1);
                // light modules are drawn, dark ones left blank, so the code reads on a dark terminal too
                sb.append(top ? (bottom ? ' ' : '▄') : (bottom ? '▀' : '█'));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static boolean dark(QrCode code, int x, int y) {
        return x >= 0 && y >= 0 && x < code.size && y < code.size && code.getModule(x, y);
    }
}
