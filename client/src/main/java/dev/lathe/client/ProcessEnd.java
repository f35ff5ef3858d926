package dev.lathe.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits for a process that is not this one's child to end. {@link ProcessHandle#onExit()} counts a zombie as alive, and
 * a server started by hand under a parent that never reaps it (a supervisor, a script's {@code Popen}) stays a zombie
 * after it exited: {@code lathe stop} then waited out its timeout, killed a dead process and reported that it "does not
 * exit" (issue 82). On Linux the kernel's state in {@code /proc/PID/stat} says {@code Z}; elsewhere only the handle is
 * asked.
 */
final class ProcessEnd {
    private static final Duration POLL = Duration.ofMillis(100);

    private ProcessEnd() {}

    /** Whether {@code process} ended within {@code timeout}. */
    static boolean await(ProcessHandle process, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!ended(process)) {
            if (!Instant.now().isBefore(deadline)) return false;
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ended(process);
            }
        }
        return true;
    }

    /** Gone, or a zombie: it runs nothing any more and only waits for its parent to collect its status. */
    static boolean ended(ProcessHandle process) {
        if (!process.isAlive()) return true;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // "PID (COMM) STATE ...": the command name may hold spaces and parentheses, the state follows the last ')'
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            // no /proc (macOS, Windows) or the process went meanwhile: the handle's answer stands, unless it is gone now
            return !process.isAlive();
        }
    }
}
