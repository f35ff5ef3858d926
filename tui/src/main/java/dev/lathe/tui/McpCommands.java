package dev.lathe.tui;

import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.McpSignInStarted;
import dev.lathe.protocol.event.Event;
import dev.lathe.tui.text.Role;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;

/**
 * {@code /mcp}: the folder's MCP servers with their state and last error; {@code /mcp auth NAME}: signs in to a remote
 * server through the server ({@code POST /mcp/NAME/auth}), showing the URL to open (and opening it when a desktop
 * browser is at hand), the outcome arriving as the {@code mcp.auth} event; {@code /mcp restart NAME} restarts one.
 */
final class McpCommands {
    private final CommandHost ui;

    McpCommands(CommandHost ui) { this.ui = ui; }

    void run(String arguments) {
        String[] words = arguments.isBlank() ? new String[0] : arguments.strip().split("\\s+");
        if (words.length == 0) {
            list();
        } else if (words.length == 2 && words[0].equals("auth")) {
            background(() -> signedIn(ui.api().signInMcp(ui.directory(), words[1])));
        } else if (words.length == 2 && words[0].equals("restart")) {
            background(() -> {
                McpServerInfo now = ui.api().restartMcp(ui.directory(), words[1]);
                return () -> ui.notice("Restarting MCP server " + now.name() + " (it was " + now.status() + ")");
            });
        } else {
            ui.error("/mcp takes nothing (the list), auth NAME or restart NAME");
        }
    }

    /** The sign-in's end, for the transcript (the subscription is this folder's): true when {@code event} was one. */
    boolean finished(Event event) {
        if (!(event instanceof Event.McpSignInFinished done)) return false;
        if (done.signedIn()) ui.notice(List.of(ui.theme().paint(Role.SUCCESS, "✓ Signed in to " + done.server() + "; it is being restarted")));
        else ui.error("could not sign in to " + done.server() + ": " + done.error().orElse("unknown reason"));
        return true;
    }

    private void list() {
        List<McpServerInfo> servers = ui.api().mcp(ui.directory());
        List<AttributedString> withheld = withheld();
        if (servers.isEmpty()) {
            if (withheld.isEmpty()) ui.notice("No MCP servers are configured in this folder (lathe mcp add)");
            else ui.notice(withheld);
            return;
        }
        int width = servers.stream().mapToInt(s -> s.name().length()).max().orElse(0);
        var lines = new ArrayList<AttributedString>();
        lines.add(ui.theme().paint(Role.HEADING, "MCP servers"));
        for (McpServerInfo s : servers) {
            Role role = switch (s.status()) {
                case "connected" -> Role.SUCCESS;
                case "failed" -> Role.ERROR;
                case "needs_auth" -> Role.WARNING;
                default -> Role.MUTED;
            };
            String restarts = s.restarts() > 0 ? "  restarted " + s.restarts() + "×" : "";
            lines.add(AttributedString.join(AttributedString.EMPTY, new AttributedString("  " + pad(s.name(), width) + "  "),
                    ui.theme().paint(role, s.status()), ui.theme().paint(Role.MUTED, restarts)));
            // a connected server's error is from before its restart, not the state of the process now running
            s.error().ifPresent(e -> lines.add(ui.theme().paint(Role.MUTED, (s.status().equals("connected") ? "    before the restart: " : "    ") + e)));
            if (s.status().equals("needs_auth")) lines.add(ui.theme().paint(Role.MUTED, "    /mcp auth " + s.name() + " signs in"));
        }
        lines.addAll(withheld());
        ui.notice(lines);
    }

    /**
     * The servers the folder defines that do not run, withheld pending trust (the folder is not trusted, or they were
     * added or changed since it was): each named with the command or URL trust would allow, so "none configured" is never
     * said of a folder that has some.
     */
    private List<AttributedString> withheld() {
        List<AttributedString> lines = new ArrayList<>();
        try {
            var trust = ui.api().trust(ui.directory());
            for (var s : trust.skipped()) {
                if (!s.kind().equals("mcp-servers")) continue;
                lines.add(ui.theme().paint(Role.WARNING, "MCP servers withheld pending trust: " + s.warning()));
                for (var item : trust.pending()) {
                    if (item.kind().equals("mcp-servers") && item.source().equals(s.source())) lines.add(new AttributedString("  " + item.line()));
                }
            }
        } catch (RuntimeException e) {
            // a server without trust answers: the list alone
        }
        return lines;
    }

    private Runnable signedIn(McpSignInStarted started) {
        boolean opened = openBrowser(started.authorizationUrl());
        return () -> ui.notice(List.of(ui.theme().paint(Role.HEADING, "Sign in to " + started.server()),
                new AttributedString("  " + (opened ? "Opened in your browser; if it did not appear, open:" : "Open in a browser on this machine:")),
                ui.theme().paint(Role.LINK, "  " + started.authorizationUrl()),
                ui.theme().paint(Role.MUTED, "  this says when the sign-in is done")));
    }

    /** Off the UI thread: the server may take a few seconds (discovery, registration); what follows runs on it. */
    private void background(java.util.concurrent.Callable<Runnable> call) {
        Thread.ofVirtual().name("lathe-mcp").start(() -> {
            Runnable followUp;
            try {
                followUp = call.call();
            } catch (Exception e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> ui.error(message);
            }
            ui.later(followUp);
        });
    }

    /** Opens {@code url} with the desktop's opener when there is a desktop and one is installed. */
    static boolean openBrowser(String url) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        boolean desktop = os.contains("mac") || System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null;
        Optional<Path> opener = desktop ? onPath(os.contains("mac") ? "open" : "xdg-open") : Optional.empty();
        if (opener.isEmpty()) return false;
        try {
            new ProcessBuilder(opener.get().toString(), url).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Optional<Path> onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return Optional.of(Path.of(dir, command));
        }
        return Optional.empty();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
