package dev.lathe.core.acpagent;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.ToolFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an agent's permission request is under Lathe's rules: its ACP kind names the permission the user's rules speak
 * of — {@code read} and {@code edit} (also {@code delete} and {@code move}) match the files it names, {@code execute}
 * is {@code bash} judged by its command line (as Lathe's bash is), {@code fetch} is {@code webfetch} by URL, {@code search}
 * {@code grep}; any other kind is the tool's own name (lower case), matched by the call's title. So
 * {@code "permission": {"edit": {"secrets/**": "deny"}}} holds for the agent's edits as for Lathe's own.
 *
 * <p>Files are decided on their real paths (links followed, as for Lathe's tools): a file whose real path is outside
 * the project must also pass {@code external_directory} on its folder, checked first, so the strictest of the two
 * decides. A request that names nothing the rules could judge (no file, no command, no URL, or a kind Lathe only
 * knows by its title) is {@link Checks#named() unnamed}: it is asked of the user even where an allow rule would match
 * (a deny rule still denies), since a title is the agent's prose, not the call.
 */
public final class AgentPermissions {
    private AgentPermissions() {}

    /**
     * The checks an ask must pass, in order: {@code external} the {@code external_directory} checks of files outside
     * the project, then {@code own}; {@code named}: {@code own} judges what the call really names.
     */
    public record Checks(List<PermissionCheck> external, PermissionCheck own, boolean named) {
        public Checks {
            external = List.copyOf(external);
        }
    }

    public static Checks check(AgentToolCall call, Path root) {
        String title = call.title().orElse(AgentToolStates.toolName(call));
        return switch (call.kind().orElse("other")) {
            case "read" -> paths("read", call, root, title);
            case "edit", "delete", "move" -> paths("edit", call, root, title);
            case "execute" -> {
                String line = call.command().orElse(title);
                yield new Checks(List.of(), new PermissionCheck("bash", PermissionSource.Pattern.COMMAND, List.of(line), List.of(line), title,
                        Map.of("command", line)), call.command().isPresent());
            }
            case "fetch" -> single("webfetch", PermissionSource.Pattern.URL, call.url(), title);
            case "search" -> single("grep", PermissionSource.Pattern.VALUE, call.pattern(), title);
            default -> new Checks(List.of(), PermissionCheck.of(AgentToolStates.toolName(call).toLowerCase(Locale.ROOT),
                    PermissionSource.Pattern.VALUE, title, title), false);
        };
    }

    private static Checks paths(String permission, AgentToolCall call, Path root, String title) {
        List<String> named = new ArrayList<>();
        call.diffs().forEach(d -> named.add(d.path()));
        named.addAll(call.locations());
        named.addAll(call.paths());
        Path realRoot = ProjectPaths.real(root);
        List<String> patterns = new ArrayList<>();
        List<PermissionCheck> external = new ArrayList<>();
        for (String name : named) {
            if (name.isBlank()) continue;
            ProjectPaths.Target target;
            try {
                target = ProjectPaths.target(root, ProjectPaths.resolve(root, name));
            } catch (ToolFailure e) {
                continue;
            }
            for (String p : target.patterns()) if (!patterns.contains(p)) patterns.add(p);
            Path real = target.real();
            Path folder = Files.isDirectory(real) || real.getParent() == null ? real : real.getParent();
            ProjectPaths.externalCheck(realRoot, real, folder).filter(c -> !external.contains(c)).ifPresent(external::add);
        }
        boolean isNamed = !patterns.isEmpty();
        if (!isNamed) patterns.add(title);
        return new Checks(external, new PermissionCheck(permission, PermissionSource.Pattern.PATH, patterns, patterns, title, Map.of(),
                AgentToolStates.display(call, root)), isNamed);
    }

    private static Checks single(String permission, PermissionSource.Pattern subject, Optional<String> value, String title) {
        String pattern = value.orElse(title);
        return new Checks(List.of(), PermissionCheck.of(permission, subject, pattern, title), value.isPresent());
    }
}
