package dev.lathe.tui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The last few models the user chose in {@code /model}, newest first, one {@code provider/model} per line in the state
 * folder: the picker shows them on top. A file that cannot be read or written is an empty list, never an error.
 */
final class RecentModels {
    static final int KEPT = 5;

    private final Path file;

    RecentModels(Path file) {
        this.file = file;
    }

    List<String> list() {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> l.contains("/")).distinct().limit(KEPT)
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Puts {@code ref} first, keeping the {@link #KEPT} newest. */
    void add(String ref) {
        var next = new ArrayList<String>();
        next.add(ref);
        list().stream().filter(r -> !r.equals(ref)).limit(KEPT - 1).forEach(next::add);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, next, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // only a convenience: the choice itself is made
        }
    }
}
