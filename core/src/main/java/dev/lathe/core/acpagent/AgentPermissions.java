package dev.lathe.core.acpagent;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an agent's permission request is under Lathe's rules: its ACP kind names the permission the user's rules speak
 * of — {@code read} and {@code edit} (also {@code delete} and {@code move}) match the files it names, {@code execute}
 * is {@code bash} judged by its command line (as Lathe's bash is), {@code fetch} is {@code webfetch} by URL, {@code search}
 * {@code grep}; any other kind is the tool's own name (lower case), matched by the call's title. So
 * {@code "permission": {"edit": {"secrets/**": "deny"}}} holds for the agent's edits as for Lathe's own.
 */
public final class AgentPermissions {
    private AgentPermissions() {}

    public static PermissionCheck check(AgentToolCall call, Path root) {
        String title = call.title().orElse(AgentToolStates.toolName(call));
        Optional<String> command = field(call, "command");
        return switch (call.kind().orElse("other")) {
            case "read" -> paths("read", call, root, title);
            case "edit", "delete", "move" -> paths("edit", call, root, title);
            case "execute" -> {
                String line = command.orElse(title);
                yield new PermissionCheck("bash", PermissionSource.Pattern.COMMAND, List.of(line), List.of(line), title, Map.of("command", line));
            }
            case "fetch" -> single("webfetch", PermissionSource.Pattern.URL, field(call, "url").orElse(title), title);
            case "search" -> single("grep", PermissionSource.Pattern.VALUE, field(call, "pattern").orElse(title), title);
            default -> single(AgentToolStates.toolName(call).toLowerCase(java.util.Locale.ROOT), PermissionSource.Pattern.VALUE, title, title);
        };
    }

    private static PermissionCheck paths(String permission, AgentToolCall call, Path root, String title) {
        List<String> files = new ArrayList<>();
        call.diffs().forEach(d -> files.add(AgentToolStates.shown(d.path(), root)));
        call.locations().forEach(l -> { String s = AgentToolStates.shown(l, root); if (!files.contains(s)) files.add(s); });
        field(call, "file_path").or(() -> field(call, "path")).map(p -> AgentToolStates.shown(p, root)).filter(p -> !files.contains(p)).ifPresent(files::add);
        if (files.isEmpty()) files.add(title);
        return new PermissionCheck(permission, PermissionSource.Pattern.PATH, files, files, title, Map.of(), AgentToolStates.display(call, root));
    }

    private static PermissionCheck single(String permission, PermissionSource.Pattern subject, String pattern, String title) {
        return new PermissionCheck(permission, subject, List.of(pattern), List.of(pattern), title, Map.of());
    }

    private static Optional<String> field(AgentToolCall call, String name) {
        return call.rawInput().map(i -> i.get(name)).filter(v -> v != null && v.isString()).map(v -> v.asString());
    }
}
