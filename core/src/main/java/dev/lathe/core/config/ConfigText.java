package dev.lathe.core.config;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The text of a configuration file, read through the gateway ({@link FileGateway}, DESIGN §24): never a FIFO or a
 * device (refused at once, not waited on), never more than {@link #MAX_BYTES}. Where the file may lead depends on whose
 * it is:
 * <ul>
 *   <li>A project's files ({@code lathe.json}, {@code .lathe/lathe.json}, {@code opencode.json(c)},
 *       {@code .claude/settings(.local).json}, {@code .mcp.json}, a plugin's manifest) must really be inside the
 *       project and have one name: a link out of it, or a hard link (of a denied {@code .env}, of a file elsewhere), is
 *       refused. A project is anyone's checkout, and the {@code read} rules that would judge a hard link's other names
 *       are the ones this file states.</li>
 *   <li>The user's own files (the global {@code lathe.json}, {@code LATHE_CONFIG}'s, managed policy,
 *       {@code ~/.claude/settings.json}) may be links anywhere: a dotfiles folder is the usual home of such a file.</li>
 * </ul>
 * A refusal is an {@link IOException} naming the file and why; callers report it as they report a file that does not
 * parse, and its content is never read.
 */
public final class ConfigText {
    /** The most of one configuration file read: a real one is a few KiB; a larger one is refused, not held. */
    public static final long MAX_BYTES = 4 << 20;

    private ConfigText() {}

    /** The text of the user's own {@code file}, or empty when there is none. */
    public static Optional<String> own(Path file) throws IOException {
        return read(file, () -> FileGateway.anywhere().readString(file, MAX_BYTES));
    }

    /** The text of {@code file}, a file of the project at {@code projectRoot}, or empty when there is none. */
    public static Optional<String> project(Path projectRoot, Path file) throws IOException {
        return read(file, () -> FileGateway.of(projectRoot, FileGateway.ReadRules.NONE).oneNameOnly().readString(file, MAX_BYTES));
    }

    private interface Read {
        String text() throws IOException;
    }

    /**
     * {@code read}'s text, or empty when there is no file. A folder is no file either: while a sandboxed command runs, a
     * guarded config file that does not exist stands as an empty placeholder folder in the work tree (DESIGN §24,
     * {@code core.sandbox.Placeholders}). A file deleted between the look and the read (its project folder removed while
     * a server watches it) is no file, as it would be a moment later; one replaced meanwhile (an editor's save by
     * rename) is read again, once; any other refusal (a FIFO, a link out, a hard link, too large) stands.
     */
    private static Optional<String> read(Path file, Read read) throws IOException {
        for (int attempt = 0; ; attempt++) {
            // a link whose target is gone is no file; any other link is judged by the gateway, which resolves it itself
            if (!Files.exists(file) || Files.isDirectory(file)) return Optional.empty();
            try {
                return Optional.of(read.text());
            } catch (IOException e) {
                if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(file)) return Optional.empty();
                if (attempt > 0) throw e;
            }
        }
    }

    /** As {@link #project} when {@code file} is below {@code projectRoot}, else as {@link #own}. */
    public static Optional<String> of(Path projectRoot, Path file) throws IOException {
        Path root = projectRoot.toAbsolutePath().normalize();
        return file.toAbsolutePath().normalize().startsWith(root) ? project(root, file) : own(file);
    }
}
