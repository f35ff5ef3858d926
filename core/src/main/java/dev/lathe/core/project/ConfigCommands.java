package dev.lathe.core.project;

import dev.lathe.core.commandfile.CommandFile;
import dev.lathe.core.commandfile.CommandFiles;
import dev.lathe.core.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The commands config defines ({@code command.NAME}: OpenCode's {@code opencode.json} shape, {@code lathe.json} too) as
 * {@link CommandFile}s beside the Markdown ones: a command file of the same name wins, and a built-in's name
 * ({@link CommandFiles#RESERVED}) is never taken. Issue 53: Lathe said it read them, and ignored them.
 */
public final class ConfigCommands {
    private static final int MAX_DESCRIPTION = 120;

    private ConfigCommands() {}

    /** {@code files}, then the configured commands they do not name; those defined under {@code projectRoot} are the project's. */
    public static List<CommandFile> after(List<CommandFile> files, Map<String, Config.CommandConfig> configured, Path projectRoot) {
        if (configured.isEmpty()) return files;
        List<CommandFile> out = new ArrayList<>(files);
        Set<String> taken = new HashSet<>();
        files.forEach(f -> taken.add(f.name()));
        for (Map.Entry<String, Config.CommandConfig> e : configured.entrySet()) {
            String name = e.getKey();
            if (taken.contains(name) || CommandFiles.RESERVED.contains(name) || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) continue;
            Config.CommandConfig c = e.getValue();
            Path source = c.source().isEmpty() ? projectRoot.resolve("opencode.json") : Path.of(c.source());
            CommandFile.Scope scope = source.toAbsolutePath().normalize().startsWith(projectRoot.toAbsolutePath().normalize())
                    ? CommandFile.Scope.PROJECT : CommandFile.Scope.USER;
            String description = c.description().filter(d -> !d.isBlank()).orElseGet(() -> firstLine(c.template()));
            out.add(new CommandFile(name, description, c.agent().filter(a -> !a.isBlank()), c.model().filter(m -> !m.isBlank()), c.template().strip(),
                    source, scope, Optional.empty()));
        }
        return List.copyOf(out);
    }

    private static String firstLine(String template) {
        String line = template.strip().lines().findFirst().orElse("").strip();
        return line.length() > MAX_DESCRIPTION ? line.substring(0, MAX_DESCRIPTION - 1) + "…" : line;
    }
}
