package dev.lathe.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The project folder a command works on: {@code --dir} or the current folder, absolute. */
final class Folders {
    private Folders() {}

    /** @throws UsageError when it is not a folder */
    static String project(Optional<Path> dir) {
        Path directory = dir.orElse(Path.of("")).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) throw new UsageError("not a folder: " + directory);
        return directory.toString();
    }
}
