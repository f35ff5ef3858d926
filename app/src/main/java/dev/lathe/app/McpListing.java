package dev.lathe.app;

import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.server.local.LocalCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lines of {@code lathe mcp list}, a stable format for scripts: one line per server,
 * {@code NAME<TAB>TYPE<TAB>STATE<TAB>TARGET<TAB>LAST ERROR}, always five fields (the error empty when there is none,
 * on one line). Configured servers first, in configuration order, with the running server's state when one runs, else
 * {@code not running} ({@code disabled} for an entry turned off); then servers the running server has that this
 * shell's configuration does not ({@code -} for type and target); then the servers an untrusted folder defines, as
 * {@value #UNTRUSTED} (or {@value #CHANGED} when added or changed since the folder was trusted), their target the
 * command line or URL as written, then the file that defines them.
 */
final class McpListing {
    static final String NOT_RUNNING = "not running";
    static final String UNTRUSTED = "untrusted (run lathe trust)";
    static final String CHANGED = "changed since trust (run lathe trust --show)";

    private McpListing() {}

    static List<String> lines(List<LocalCommands.McpServerRow> configured, List<LocalCommands.McpUntrusted> untrusted,
            Optional<List<McpServerInfo>> live) {
        Map<String, McpServerInfo> states = new LinkedHashMap<>();
        live.ifPresent(servers -> servers.forEach(s -> states.put(s.name(), s)));
        List<String> out = new ArrayList<>();
        for (var row : configured) {
            McpServerInfo state = states.remove(row.name());
            // a configured server the running one does not report (its configuration differs) is as the files say
            String status = state != null ? state.status() : row.enabled() ? NOT_RUNNING : "disabled";
            out.add(line(row.name(), row.type(), status, row.target(), state == null ? "" : error(state)));
        }
        for (McpServerInfo s : states.values()) out.add(line(s.name(), "-", s.status(), "-", error(s)));
        // the command or URL it would run, with the file that defines it: what trust would allow
        for (var u : untrusted) {
            out.add(line(u.name(), "-", u.changedSinceTrust() ? CHANGED : UNTRUSTED, u.target().isEmpty() ? u.source() : u.target() + " (" + u.source() + ")", ""));
        }
        return out;
    }

    /**
     * The last error on one line. A connected server's is from before it was started again (it exited, or was killed):
     * said so, with how often it was, or its {@code connected} would read as the state of the process that exited
     * (issue 71, minor 15).
     */
    private static String error(McpServerInfo s) {
        String error = s.error().map(e -> e.strip().replaceAll("\\s*\\R\\s*", " / ").replace('\t', ' ')).orElse("");
        if (error.isEmpty() || !s.status().equals("connected")) return error;
        return "restarted " + s.restarts() + "× by Lathe; before: " + error;
    }

    private static String line(String name, String type, String state, String target, String error) {
        return String.join("\t", name, type, state, target.replace('\t', ' '), error);
    }
}
