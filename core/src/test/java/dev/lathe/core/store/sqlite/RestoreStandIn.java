package dev.lathe.core.store.sqlite;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A second process doing what {@code lathe db restore} does with the database ({@link Backups#restore}), one step at a
 * time for a test: it holds the whole lease file exclusively and says {@code holding}; on a line from its input it
 * deletes the database's {@code -wal} and {@code -shm} and renames the replacement (its second argument, if any) over
 * the database; then it exits, which lets the lease go. The lease is per process, so a test needs a real one.
 */
public final class RestoreStandIn {
    private RestoreStandIn() {}

    /** Starts it on {@code database}, replacing it with {@code replacement} when told (none: only holds the lease). */
    public static Process start(Path database, Path... replacement) throws java.io.IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        var command = new java.util.ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                RestoreStandIn.class.getName(), database.toString()));
        for (Path p : replacement) command.add(p.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String first = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        if (!"holding".equals(first)) throw new IllegalStateException("the stand-in said " + first);
        return p;
    }

    /** Lets it go on: it replaces the database (if it was given a replacement) and exits. */
    public static void proceed(Process p) throws Exception {
        p.getOutputStream().write('\n');
        p.getOutputStream().flush();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("the stand-in failed");
    }

    public static void main(String[] args) throws Exception {
        Path database = Path.of(args[0]);
        try (FileChannel channel = FileChannel.open(database.resolveSibling(database.getFileName() + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE); var _ = channel.lock(0, Long.MAX_VALUE, false)) {
            System.out.println("holding");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in)).readLine();
            if (args.length > 1) {
                for (String suffix : List.of("-wal", "-shm")) Files.deleteIfExists(database.resolveSibling(database.getFileName() + suffix));
                Files.move(Path.of(args[1]), database, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
