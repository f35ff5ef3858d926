package dev.lathe.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.node.ObjectNode;

/**
 * Changes the project's own configuration layer, {@code .lathe/lathe.json} under the project root, by a JSON merge
 * patch (RFC 7396). The whole configuration with the changed file is loaded first; when it is invalid nothing is
 * written. The file is edited in place ({@link JsoncEdit}: comments and formatting of untouched members kept) and
 * replaced atomically, keeping its permissions. Edits are serialised, so two patches never lose one another.
 */
public final class ConfigEditor {
    private static final System.Logger LOG = System.getLogger(ConfigEditor.class.getName());

    private final ConfigLoader loader;
    private final ReentrantLock lock = new ReentrantLock();

    public ConfigEditor(ConfigLoader loader) {
        this.loader = loader;
    }

    /** The layer edits go to. */
    public static Path projectFile(Path projectRoot) {
        return projectRoot.resolve(".lathe").resolve("lathe.json");
    }

    /**
     * Merges {@code patchJson} into the project file, creating it when missing.
     *
     * @return whether the file changed (an empty or no-op patch writes nothing)
     * @throws IllegalArgumentException when {@code patchJson} is not a JSON object
     * @throws ConfigException naming file, line and key when the result is not a valid configuration, or the current
     *     file does not parse; nothing is written
     * @throws UncheckedIOException when the file cannot be read or written
     */
    public boolean apply(Path projectRoot, String patchJson) {
        return apply(projectRoot, projectFile(projectRoot), patchJson);
    }

    /**
     * Merges {@code patchJson} into {@code file}, one of the layers {@code projectRoot}'s configuration reads (the
     * project's, or the global one for {@code lathe mcp add --scope global}), as {@link #apply(Path, String)} does.
     */
    public boolean apply(Path projectRoot, Path file, String patchJson) {
        ObjectNode patch;
        try {
            patch = LocatedJson.parse("patch", patchJson).root();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("the patch must be a JSON object: " + e.getMessage(), e);
        }
        lock.lock();
        try {
            // through the gateway as the loader reads it: a project's lathe.json that leads out of the project, a
            // FIFO or a huge file is refused here, before anything is merged into it or written
            String before = ConfigText.of(projectRoot, file).orElse("");
            ObjectNode current = LocatedJson.parse(file.toString(), before).root();
            ObjectNode expected = MergePatch.apply(current, patch);
            if (expected.equals(current)) return false;
            String after = edited(file, before, patch, expected);
            loader.loadWith(projectRoot, file, after);
            write(file, after);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private static String edited(Path file, String before, ObjectNode patch, ObjectNode expected) {
        if (before.isBlank()) return JsoncEdit.render(expected);
        try {
            String text = JsoncEdit.apply(before, patch);
            if (LocatedJson.parse(file.toString(), text).root().equals(expected)) return text;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "editing {0} in place failed: {1}", file, e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "{0} could not be edited in place; rewrote it (its comments are gone)", file);
        return JsoncEdit.render(expected);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".lathe.json.", ".tmp");
        try {
            var view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            if (view != null) {
                // the temp file is owner-only; the result keeps the old file's mode, or a new file's usual one
                Files.setPosixFilePermissions(tmp, Files.exists(file) ? Files.getPosixFilePermissions(file)
                        : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
