package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No main source file over {@value #MAX_LINES} lines (STYLE, issue 41): a file past that holds more than one concept,
 * and the files every feature touches grow fastest. Runs in {@code app} beside the module table, over every module's
 * {@code src/main/java}; a file found here is split by concept, not into arbitrary halves.
 */
class FileSizeTest {
    static final int MAX_LINES = 600;

    /** A main source file and its length in lines. */
    record Oversized(Path file, long lines) {
        @Override
        public String toString() { return file + " (" + lines + " lines)"; }
    }

    /** The {@code .java} files under any {@code MODULE/src/main/java} of {@code root} longer than {@code max} lines. */
    static List<Oversized> oversized(Path root, int max) {
        try (Stream<Path> modules = Files.list(root)) {
            return modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).flatMap(FileSizeTest::javaFiles)
                    .map(f -> new Oversized(root.relativize(f), lines(f))).filter(o -> o.lines() > max).sorted(java.util.Comparator.comparing(o -> o.file().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> javaFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f)).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines as {@code wc -l} counts them, plus a last line without its newline. */
    private static long lines(Path file) {
        try {
            String text = Files.readString(file);
            long newlines = text.chars().filter(c -> c == '\n').count();
            return text.isEmpty() || text.endsWith("\n") ? newlines : newlines + 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void noMainSourceFileIsLongerThanTheLimit() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        assertThat(oversized(root, MAX_LINES)).as("main source files over " + MAX_LINES + " lines: split each by concept").isEmpty();
    }

    @Test
    void findsAFileOverTheLimitInAnyModule(@TempDir Path root) throws IOException {
        Path main = Files.createDirectories(root.resolve("core/src/main/java/x"));
        Files.writeString(main.resolve("Long.java"), "line\n".repeat(MAX_LINES + 1));
        Files.writeString(main.resolve("Fits.java"), "line\n".repeat(MAX_LINES));
        Path test = Files.createDirectories(root.resolve("core/src/test/java/x"));
        Files.writeString(test.resolve("LongTest.java"), "line\n".repeat(MAX_LINES * 2));

        assertThat(oversized(root, MAX_LINES)).containsExactly(new Oversized(Path.of("core/src/main/java/x/Long.java"), MAX_LINES + 1));
    }
}
