package dev.lathe.app;

import dev.lathe.protocol.api.LoginCode;
import dev.lathe.run.console.ExitCode;
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
 * ({@code LATHE_SERVER_TOKEN}, as every {@code --attach}): the login is that user's ({@link LoginLinks}).
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

    /** How long the link works: the browser opens it at once (a phone gets longer: {@code lathe pair}). */
    private static final int WEB_MINUTES = 5;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String directory = java.nio.file.Path.of("").toAbsolutePath().normalize().toString();
        LoginCode code;
        try {
            code = LoginLinks.of(directory, attach, WEB_MINUTES, "lathe web");
        } catch (UsageError e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (printUrl) {
            out.println(code.url());
            out.flush();
            if (qr) err.print(TerminalQr.of(code.url()));
            err.flush();
            return ExitCode.FINISHED;
        }
        if (qr) err.print(TerminalQr.of(code.url()));
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
}
