package dev.lathe.core.info;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.FileContent;
import dev.lathe.protocol.api.FileEntry;
import dev.lathe.tools.FileGateway;
import dev.lathe.tools.builtin.ProjectSearch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code GET /files} and {@code GET /files/content}: one folder's entries with whether searches ignore them, and one
 * file's bytes. Paths are checked by {@link ProjectPath}; {@code .git} is never listed (it is the repository, not the
 * project), though it can be named explicitly.
 */
final class FileBrowser {
    /** Larger files answer 413: a client shows a file, it does not download builds. */
    static final long MAX_CONTENT = 5L * 1024 * 1024;

    private FileBrowser() {}

    /** Folders first, then files, each by name. @throws LatheException NotFound when missing, InvalidInput for a file, Forbidden/InvalidInput for a bad path */
    static List<FileEntry> list(Path root, String path, ServedFiles served) {
        ProjectPath folder = ProjectPath.of(root, path);
        served.check(folder.path());
        if (!folder.exists()) throw new LatheException.NotFound("no such folder: " + displayed(folder));
        if (!Files.isDirectory(folder.path())) throw new LatheException.InvalidInput(displayed(folder) + " is a file, not a folder; read it with /files/content");
        ProjectSearch.Ignores ignores = ProjectSearch.ignoresOf(root, folder.path());
        List<FileEntry> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(folder.path())) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                if (name.equals(".git")) continue;
                boolean directory = Files.isDirectory(child);
                long size = directory ? 0 : size(child);
                out.add(new FileEntry(name, folder.child(name), directory ? "directory" : "file", size, ignores.isIgnored(child)));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new LatheException.Forbidden("cannot read " + displayed(folder) + ": " + reason(e));
        }
        out.sort(Comparator.comparing((FileEntry e) -> !e.type().equals("directory")).thenComparing(FileEntry::name, String.CASE_INSENSITIVE_ORDER)
                .thenComparing(FileEntry::name));
        return out;
    }

    /** UTF-8 text as is, anything else as base64. @throws LatheException NotFound when missing, InvalidInput for a folder, TooLarge above {@link #MAX_CONTENT} */
    static FileContent read(Path root, String path, ServedFiles served) {
        if (path.isBlank()) throw new LatheException.InvalidInput("path is required");
        ProjectPath file = ProjectPath.of(root, path);
        served.check(file.path());
        if (!file.exists()) throw new LatheException.NotFound("no such file: " + file.relative());
        if (Files.isDirectory(file.path())) throw new LatheException.InvalidInput(file.relative() + " is a folder; list it with /files");
        if (!Files.isRegularFile(file.path())) throw new LatheException.InvalidInput(file.relative() + " is not a regular file");
        long size = size(file.path());
        if (size > MAX_CONTENT) throw tooLarge(file, size);
        byte[] bytes;
        // through the gateway, rooted at the project: a link swapped in after the check above is refused, not followed
        try (InputStream in = FileGateway.of(root, FileGateway.ReadRules.NONE).open(file.path()).in()) {
            // read at most one byte over the cap: the file may have grown since it was measured
            bytes = in.readNBytes((int) MAX_CONTENT + 1);
        } catch (IOException e) {
            throw new LatheException.Forbidden("cannot read " + file.relative() + ": " + reason(e));
        }
        if (bytes.length > MAX_CONTENT) throw tooLarge(file, bytes.length);
        return text(bytes)
                .map(t -> new FileContent(file.relative(), "utf-8", t, bytes.length))
                .orElseGet(() -> new FileContent(file.relative(), "base64", Base64.getEncoder().encodeToString(bytes), bytes.length));
    }

    /** The bytes as text when they are valid UTF-8 without NUL bytes (ripgrep's test for binary). */
    private static java.util.Optional<String> text(byte[] bytes) {
        for (byte b : bytes) if (b == 0) return java.util.Optional.empty();
        try {
            return java.util.Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return java.util.Optional.empty();
        }
    }

    private static LatheException tooLarge(ProjectPath file, long size) {
        return new LatheException.TooLarge(file.relative() + " has " + size + " bytes; files above " + MAX_CONTENT + " bytes are not served");
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;  // a link to nothing, or gone since it was listed
        }
    }

    private static String displayed(ProjectPath p) { return p.relative().isEmpty() ? "the project folder" : p.relative(); }

    private static String reason(Exception e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        return cause.getClass().getSimpleName().replace("Exception", "");
    }
}
