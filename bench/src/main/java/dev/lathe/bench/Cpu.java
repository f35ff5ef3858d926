package dev.lathe.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time from Linux's {@code /proc}, in clock ticks of 10 ms ({@code USER_HZ} is 100 on every Linux the JDK
 * supports): enough to tell what share of the machine a measurement had.
 */
final class Cpu {
    private static final long TICK_MILLIS = 10;

    private Cpu() {}

    /** User + system time of a process itself and of its children that ended. */
    record OfProcess(Duration self, Duration children) {
        Duration total() { return self.plus(children); }

        OfProcess minus(OfProcess earlier) { return new OfProcess(self.minus(earlier.self), children.minus(earlier.children)); }
    }

    static OfProcess ofProcess(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // the fields after the command name, which is in parentheses and may hold spaces: utime is field 14 of stat(5)
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long self = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        long children = Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return new OfProcess(Duration.ofMillis(self * TICK_MILLIS), Duration.ofMillis(children * TICK_MILLIS));
    }

    /** Busy time (everything but idle and I/O wait) of all cores together since boot. */
    static Duration machineBusy() {
        String[] f = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) if (i != 4 && i != 5) busy += Long.parseLong(f[i]);
        return Duration.ofMillis(busy * TICK_MILLIS);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (not Linux?)", e);
        }
    }
}
