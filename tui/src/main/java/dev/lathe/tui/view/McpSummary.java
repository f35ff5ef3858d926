package dev.lathe.tui.view;

import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;

/**
 * The folder's MCP servers as the footer shows them: {@code mcp 3/4} (connected of enabled), and, when one is
 * {@code failed} or {@code needs_auth}, that server's name and state in the warning colour ({@code mcp 3/4 · github
 * needs auth}, {@code +N} when more are down). Servers the config turned off count for nothing; a folder without
 * servers shows nothing. Built from {@code GET /mcp} at attach and kept current by {@code mcp.status} events.
 *
 * @param servers in configuration order
 */
public record McpSummary(List<McpServerInfo> servers) {
    /** A folder without MCP servers (or a server too old to tell). */
    public static final McpSummary NONE = new McpSummary(List.of());

    public McpSummary {
        servers = List.copyOf(servers);
    }

    /** This summary with {@code changed} in place of the server of that name, or added at the end. */
    public McpSummary with(McpServerInfo changed) {
        var out = new ArrayList<McpServerInfo>(servers.size() + 1);
        boolean replaced = false;
        for (McpServerInfo s : servers) {
            if (s.name().equals(changed.name())) {
                out.add(changed);
                replaced = true;
            } else {
                out.add(s);
            }
        }
        if (!replaced) out.add(changed);
        return new McpSummary(out);
    }

    /** Servers that are down and will not come back by waiting: {@code failed} or {@code needs_auth}. */
    public List<McpServerInfo> troubled() {
        return servers.stream().filter(McpSummary::troubled).toList();
    }

    /** The footer's figure; empty when no server is enabled. */
    public Optional<AttributedString> render(Theme theme) {
        long enabled = servers.stream().filter(s -> !s.status().equals("disabled")).count();
        if (enabled == 0) return Optional.empty();
        long connected = servers.stream().filter(s -> s.status().equals("connected")).count();
        String figure = "mcp " + connected + "/" + enabled;
        List<McpServerInfo> down = troubled();
        if (down.isEmpty()) return Optional.of(theme.paint(Role.FOOTER, figure));
        McpServerInfo first = down.getFirst();
        String more = down.size() > 1 ? " +" + (down.size() - 1) : "";
        return Optional.of(theme.paint(Role.WARNING, figure + " · " + first.name() + " " + words(first.status()) + more));
    }

    private static boolean troubled(McpServerInfo s) {
        return s.status().equals("failed") || s.status().equals("needs_auth");
    }

    /** {@code needs_auth} as words, for people. */
    private static String words(String status) {
        return status.replace('_', ' ');
    }
}
