package dev.lathe.core.config;

import java.io.IOException;
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
        file(paths.globalConfig(), Optional.empty()).ifPresent(out::add);
        // OpenCode's files are project layers below lathe.json (decision 140): a project with only them is configured
        for (String name : OpenCodeFile.NAMES) openCode(projectRoot, projectRoot.resolve(name)).ifPresent(out::add);
        for (String name : ConfigLoader.PROJECT_FILES) file(projectRoot.resolve(name), Optional.of(projectRoot)).ifPresent(out::add);
        String named = env.get("LATHE_CONFIG");
        if (named != null && !named.isBlank()) {
            Path file = Path.of(named);
            out.add(file(file, Optional.empty()).orElseGet(() -> new Layer(file.toString(),
                    Optional.of(new ConfigException("LATHE_CONFIG", 0, "", "file not found: " + file)))));
        }
        String inline = env.get("LATHE_CONFIG_CONTENT");
        if (inline != null && !inline.isBlank()) out.add(check("LATHE_CONFIG_CONTENT", inline));
        try {
            for (Path file : ManagedFiles.all(managed)) managedFile(file).ifPresent(out::add);
        } catch (ConfigException e) {
            out.add(new Layer(managed.toString(), Optional.of(e)));
        }
        return out;
    }

    /** A layer's file, read as {@link ConfigText} reads it: a file of {@code project} when one is given, else the user's own. */
    private static Optional<Layer> file(Path file, Optional<Path> project) {
        try {
            Optional<String> text = project.isPresent() ? ConfigText.project(project.get(), file) : ConfigText.own(file);
            return text.map(t -> check(file.toString(), t));
        } catch (IOException e) {
            return Optional.of(new Layer(file.toString(), Optional.of(new ConfigException(file.toString(), 0, "", "cannot read: " + e.getMessage()))));
        }
    }

    /** An OpenCode file, checked as Lathe reads it: only its keys Lathe has (the others are named by the opencode check). */
    private static Optional<Layer> openCode(Path projectRoot, Path file) {
        String source = file + " (OpenCode's; the keys Lathe reads)";
        try {
            Optional<String> text = ConfigText.project(projectRoot, file);
            if (text.isEmpty()) return Optional.empty();
            LocatedJson doc = LocatedJson.parse(file.toString(), text.get());
            ConfigSchema.validate(OpenCodeFile.mapped(doc));
            return Optional.of(new Layer(source, Optional.empty(), OpenCodeFile.skipped(doc)));
        } catch (ConfigException e) {
            return Optional.of(new Layer(source, Optional.of(e)));
        } catch (IOException e) {
            return Optional.of(new Layer(source, Optional.of(new ConfigException(file.toString(), 0, "", "cannot read: " + e.getMessage()))));
        }
    }

    /** A managed file, checked with its policy keys ({@link ManagedPolicy}) taken out first, as the loader reads it. */
    private static Optional<Layer> managedFile(Path file) {
        try {
            Optional<String> text = ConfigText.own(file);
            if (text.isEmpty()) return Optional.empty();
            ConfigSchema.validate(ManagedPolicy.take(List.of(LocatedJson.parse(file.toString(), text.get()))).layers().getFirst());
            return Optional.of(new Layer(file.toString(), Optional.empty()));
        } catch (ConfigException e) {
            return Optional.of(new Layer(file.toString(), Optional.of(e)));
        } catch (IOException e) {
            return Optional.of(new Layer(file.toString(), Optional.of(new ConfigException(file.toString(), 0, "", "cannot read: " + e.getMessage()))));
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
