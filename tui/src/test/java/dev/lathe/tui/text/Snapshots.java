package dev.lathe.tui.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jline.utils.AttributedString;

/**
 * Checked-in render snapshots under {@code src/test/resources/snapshots/NAME.txt}: the plain text of the lines
 * framed by {@code |} (so trailing spaces and widths show), then the same lines as 256-colour ANSI with ESC shown as
 * {@code ␛}. {@code -Dsnapshots.update=true} rewrites them instead of comparing; review the diff before committing.
 */
public final class Snapshots {
    private static final dev.lathe.tui.screen.Ansi ANSI = new dev.lathe.tui.screen.Ansi(256);
    private static final Path DIR = Path.of("src/test/resources/snapshots");

    private Snapshots() {}

    public static void assertMatches(String name, List<AttributedString> lines) {
        String actual = format(lines);
        Path file = DIR.resolve(name + ".txt");
        try {
            if (Boolean.getBoolean("snapshots.update") || !Files.exists(file)) {
                Files.createDirectories(DIR);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                if (!Boolean.getBoolean("snapshots.update")) {
                    throw new AssertionError("new snapshot written to " + file + "; check it and run again");
                }
                return;
            }
            assertThat(actual).as("snapshot " + file).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String format(List<AttributedString> lines) {
        var sb = new StringBuilder();
        for (AttributedString l : lines) sb.append('|').append(l).append("|\n");
        sb.append("--- ansi\n");
        for (AttributedString l : lines) {
            sb.append(ANSI.encode(l).replace('\u001b', '␛')).append('\n');
        }
        return sb.toString();
    }
}
