package dev.lathe.tui.view;

import dev.lathe.protocol.api.LspServerInfo;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;

/**
 * {@code /lsp}: the folder's language servers ({@code GET /lsp}) — name, state, command — with the last error under a
 * server that has one. A server that runs is green, one that failed red, one not installed or withheld dim.
 */
public final class LspView {
    private LspView() {}

    public static List<AttributedString> render(List<LspServerInfo> servers, Theme theme) {
        var lines = new ArrayList<AttributedString>();
        if (servers.isEmpty()) {
            lines.add(new AttributedString("No language servers in this folder (\"lsp\": false, or none is installed; lathe doctor lists them)"));
            return lines;
        }
        lines.add(theme.paint(Role.HEADING, "Language servers"));
        int name = servers.stream().mapToInt(s -> s.name().length()).max().orElse(0);
        int state = servers.stream().mapToInt(s -> s.state().length()).max().orElse(0);
        for (LspServerInfo s : servers) {
            Role role = switch (s.state()) {
                case "running" -> Role.SUCCESS;
                case "failed" -> Role.ERROR;
                case "starting", "restarting" -> Role.WARNING;
                default -> Role.MUTED;
            };
            lines.add(AttributedString.join(AttributedString.EMPTY, new AttributedString("  " + pad(s.name(), name) + "  "),
                    theme.paint(role, pad(s.state(), state)), theme.paint(Role.MUTED, "  " + s.command())));
            s.error().ifPresent(e -> lines.add(theme.paint(Role.MUTED, "    " + e.strip().replaceAll("\\s*\\R\\s*", " "))));
        }
        return lines;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
