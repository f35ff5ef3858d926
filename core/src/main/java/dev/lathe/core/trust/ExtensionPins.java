package dev.lathe.core.trust;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A project's plugin jars ({@code .lathe/plugins/*.jar}) and executable script tools ({@code .lathe/tools/*}) as
 * {@link TrustItem}s (DESIGN §18 "Trust pins what it approved"): each pinned by the SHA-256 of its bytes, so a jar or
 * script the agent, a pull or an editor replaced after trust is not loaded until the user approves the difference.
 */
public final class ExtensionPins {
    /** A project's script tools and plugin jars (the plugin loader's folders; here so trust needs no plugin code). */
    public static final String PROJECT_TOOLS = ".lathe/tools";
    public static final String PROJECT_PLUGINS = ".lathe/plugins";

    private ExtensionPins() {}

    /** The items of the project folder {@code root}'s own plugin jars and script tools, by file name. */
    public static List<TrustItem> items(Path root) {
        return items(root, List.of(root));
    }

    /**
     * The items of the plugin jars and script tools of each of {@code folders} (the root and folders below it,
     * {@link NestedProjectFolders}), pinned relative to the project root {@code root}: {@code sub/.lathe/tools x}.
     */
    public static List<TrustItem> items(Path root, List<Path> folders) {
        List<TrustItem> out = new ArrayList<>();
        for (Path folder : folders) {
            for (Path f : files(folder.resolve(PROJECT_TOOLS))) if (Files.isExecutable(f)) item(root, f).ifPresent(out::add);
            for (Path f : files(folder.resolve(PROJECT_PLUGINS))) if (f.getFileName().toString().endsWith(".jar")) item(root, f).ifPresent(out::add);
        }
        return out;
    }

    /**
     * {@code file} (a jar of a plugins folder or a script of a tools folder below {@code root}) as trust pins it: its
     * folder relative to {@code root}, its name and {@code sha256:} its content; empty when it cannot be read.
     */
    public static java.util.Optional<TrustItem> item(Path root, Path file) {
        try {
            return java.util.Optional.of(item(root, file, FileGateway.anywhere().sha256(file)));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** {@code file} as trust pins it when its bytes (as read once, e.g. the copy a jar loads from) have {@code sha256}. */
    public static TrustItem item(Path root, Path file, String sha256) {
        Path folder = file.getParent();
        Withheld.Kind kind = folder.endsWith(PROJECT_PLUGINS) ? Withheld.Kind.PLUGIN_JARS : Withheld.Kind.SCRIPT_TOOLS;
        String source = folder.startsWith(root) ? root.relativize(folder).toString() : folder.toString();
        return new TrustItem(kind, source, file.getFileName().toString(), "sha256:" + sha256);
    }

    private static List<Path> files(Path folder) {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> in = Files.list(folder)) {
            return in.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
