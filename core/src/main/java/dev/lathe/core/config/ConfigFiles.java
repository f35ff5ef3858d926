package dev.lathe.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration layers that exist for a project folder — the same places {@link ConfigLoader} reads, in its
 * order — each checked on its own: whether it parses and every key and value is valid. {@code lathe doctor} lists them,
 * so a user sees which files Lathe found and which one is broken even when an earlier one already fails the merge.
 * Substitutions ({@code {env:…}}, {@code {file:…}}) are not expanded here; the merged load reports those.
 */
public final class ConfigFiles {
    /** Managed policy, the last layer (DESIGN §15). */
    public static final Path MANAGED_POLICY = Path.of("/etc/lathe/managed.json");

    private ConfigFiles() {}

    /**
     * One layer found: its {@code source} (a file, or {@code LATHE_CONFIG_CONTENT}), the problem when it is invalid, and
     * the keys Lathe does not read (an OpenCode file's {@code theme}, {@code share}: valid there, ignored here).
     */
    public record Layer(String source, Optional<ConfigException> problem, List<String> unread) {
        public Layer {
            unread = List.copyOf(unread);
        }

        public Layer(String source, Optional<ConfigException> problem) { this(source, problem, List.of()); }
    }

    /** The layers that exist for {@code projectRoot} under {@code paths} and {@code env}, with {@code managed} as the policy file. */
    public static List<Layer> of(LathePaths paths, Map<String, String> env, Path projectRoot, Path managed) {
        List<Layer> out = new ArrayList<>();
        file(paths.globalConfig()).ifPresent(out::add);
        // OpenCode's files are project layers below lathe.json (decision 140): a project with only them is configured
        for (String name : OpenCodeFile.NAMES) openCode(projectRoot.resolve(name)).ifPresent(out::add);
        for (String name : ConfigLoader.PROJECT_FILES) file(projectRoot.resolve(name)).ifPresent(out::add);
        String named = env.get("LATHE_CONFIG");
        if (named != null && !named.isBlank()) {
            Path file = Path.of(named);
            out.add(file(file).orElseGet(() -> new Layer(file.toString(),
                    Optional.of(new ConfigException("LATHE_CONFIG", 0, "", "file not found: " + file)))));
        }
        String inline = env.get("LATHE_CONFIG_CONTENT");
        if (inline != null && !inline.isBlank()) out.add(check("LATHE_CONFIG_CONTENT", inline));
        file(managed).ifPresent(out::add);
        return out;
    }

    private static Optional<Layer> file(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(check(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return Optional.of(new Layer(file.toString(), Optional.of(new ConfigException(file.toString(), 0, "", "cannot read: " + e.getMessage()))));
        }
    }

    /** An OpenCode file, checked as Lathe reads it: only its keys Lathe has (the others are named by the opencode check). */
    private static Optional<Layer> openCode(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        String source = file + " (OpenCode's; the keys Lathe reads)";
        try {
            LocatedJson doc = LocatedJson.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
            ConfigSchema.validate(OpenCodeFile.mapped(doc));
            return Optional.of(new Layer(source, Optional.empty(), OpenCodeFile.skipped(doc)));
        } catch (ConfigException e) {
            return Optional.of(new Layer(source, Optional.of(e)));
        } catch (IOException e) {
            return Optional.of(new Layer(source, Optional.of(new ConfigException(file.toString(), 0, "", "cannot read: " + e.getMessage()))));
        }
    }

    private static Layer check(String source, String text) {
        try {
            ConfigSchema.validate(LocatedJson.parse(source, text));
            return new Layer(source, Optional.empty());
        } catch (ConfigException e) {
            return new Layer(source, Optional.of(e));
        }
    }
}
