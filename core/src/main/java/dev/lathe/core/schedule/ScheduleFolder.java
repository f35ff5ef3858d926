package dev.lathe.core.schedule;

import dev.lathe.protocol.api.LatheException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The folder a schedule runs in: kept as its real path when the schedule is added (a link given is followed once, then
 * the place it led to is the schedule's), and checked again before each run, so that a folder swapped for a link later
 * does not take the run somewhere the user never named.
 */
final class ScheduleFolder {
    private ScheduleFolder() {}

    /** The real path of {@code directory}; @throws LatheException.InvalidInput when it is not an absolute path to a folder */
    static String real(String directory) {
        Path path;
        try {
            path = Path.of(directory);
        } catch (InvalidPathException e) {
            throw new LatheException.InvalidInput("directory is not a path: " + Printable.cut(directory));
        }
        if (!path.isAbsolute()) throw new LatheException.InvalidInput("directory must be an absolute path: " + Printable.cut(directory));
        try {
            Path real = path.toRealPath();
            if (!Files.isDirectory(real)) throw new LatheException.InvalidInput("directory is not a folder: " + Printable.cut(directory));
            return real.toString();
        } catch (IOException e) {
            throw new LatheException.InvalidInput("directory does not exist: " + Printable.cut(directory));
        }
    }

    /** @throws LatheException.Conflict when the kept folder is gone or became a link to another place */
    static void unchanged(String directory) {
        String now;
        try {
            now = Path.of(directory).toRealPath().toString();
        } catch (IOException e) {
            throw new LatheException.Conflict("the schedule's folder " + directory + " is gone");
        }
        if (!now.equals(directory)) throw new LatheException.Conflict("the schedule's folder " + directory + " now leads to " + now + ": not run");
    }
}
