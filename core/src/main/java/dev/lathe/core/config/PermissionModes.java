package dev.lathe.core.config;

import dev.lathe.tools.ProjectPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A layer's {@code defaultMode} and {@code additionalDirectories} (DESIGN §27), Lathe's own keys and what
 * {@link ClaudePermissions} reads from Claude Code's {@code permissions} of the same names. {@code acceptEdits} is an
 * {@code edit} allow rule for every file of the project (a path outside it still asks {@code external_directory}
 * first); {@code plan} starts new sessions on the {@code plan} agent; {@code additionalDirectories} are folders the
 * file tools reach as they reach the project (an {@code external_directory} allow rule each) and the sandbox binds
 * writable. All of them widen what runs without an ask, so a project's layer keeps them only in a trusted folder, as
 * its allow rules ({@link ReachGate}); {@code bypassPermissions} is never taken from a file.
 */
final class PermissionModes {
    static final String MODE = "defaultMode";
    static final String DIRECTORIES = "additionalDirectories";
    static final String ACCEPT_EDITS = "acceptEdits";
    static final String PLAN = "plan";
    /**
     * Auto-approval on from the start (DESIGN §31), as Claude Code's {@code "defaultMode": "auto"}: taken only from the
     * user's and managed files ({@link ConfigKeys#dropUserOnly} drops a project's), and only where {@code permission.auto}
     * names the classifier.
     */
    static final String AUTO = "auto";
    static final Set<String> MODES = Set.of("default", ACCEPT_EDITS, PLAN, AUTO);
    static final String NO_BYPASS = "bypassPermissions is never taken from a configuration file (lathe run --allow-all answers asks for one run)";

    private PermissionModes() {}

    /**
     * Turns the layer's modes into what Lathe applies: {@code acceptEdits} into {@code "edit": {"*": "allow"}} unless the
     * layer writes its own {@code edit} rule for {@code *}, each of {@code additionalDirectories} (absolute, {@code ~/},
     * or relative to the project root) into its real path with an {@code external_directory} allow rule for everything
     * below it. The folders are removed from the layer and answered, so the layers' lists add up.
     */
    static List<String> apply(ObjectNode layer, Path projectRoot, Path home) {
        if (ACCEPT_EDITS.equals(layer.path(MODE).asString(""))) {
            ObjectNode edit = object(object(layer, "permission"), "edit");
            if (!edit.has("*")) edit.put("*", "allow");
        }
        List<String> folders = new ArrayList<>();
        for (JsonNode entry : layer.path(DIRECTORIES)) {
            String written = entry.asString("");
            if (written.isBlank()) continue;
            Path real = realFolder(written, projectRoot, home);
            // the whole file system is not a working folder: it would make every path "inside"
            if (real.getParent() == null) continue;
            folders.add(real.toString());
            object(object(layer, "permission"), "external_directory").put(real + "/**", "allow");
        }
        layer.remove(DIRECTORIES);
        return folders;
    }

    /**
     * The folder an {@code additionalDirectories} entry names (absolute, {@code ~}, {@code ~/…}, or relative to the
     * project root), as its real path: decided on real paths, as the file tools' checks are, so a link to the folder is
     * the folder — and trust pins the folder reached, not the words written.
     */
    static Path realFolder(String written, Path projectRoot, Path home) {
        Path folder = written.equals("~") ? home : written.startsWith("~/") ? home.resolve(written.substring(2)) : projectRoot.resolve(written);
        return ProjectPaths.real(folder.toAbsolutePath().normalize());
    }

    /**
     * What a person is told an entry reaches when it is more than its words say: {@code your home folder} (or a folder
     * that holds it, or the whole file system), or {@code links to /real/path}; empty otherwise.
     */
    static String reached(String written, Path projectRoot, Path home) {
        Path real = realFolder(written, projectRoot, home);
        Path realHome = ProjectPaths.real(home.toAbsolutePath().normalize());
        if (real.getParent() == null) return "the whole file system";
        if (real.equals(realHome)) return "your home folder";
        if (realHome.startsWith(real)) return "a folder holding your home folder";
        Path lexical = written.startsWith("~") ? null : projectRoot.resolve(written).toAbsolutePath().normalize();
        if (lexical != null && !lexical.equals(real)) return "links to " + real;
        return "";
    }

    private static ObjectNode object(ObjectNode parent, String key) {
        return parent.get(key) instanceof ObjectNode o ? o : parent.putObject(key);
    }
}
