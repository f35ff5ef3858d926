package dev.lathe.core.sandbox;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether bubblewrap works here, probed once per process by running the smallest sandbox Lathe needs (read-only root,
 * own {@code /dev}, {@code /proc}, network and pid namespace): installed is not enough, user namespaces may be off.
 */
final class Bubblewrap {
    private Bubblewrap() {}

    static final String PROGRAM = "bwrap";

    private static volatile Optional<String> problem;

    /** Empty when bubblewrap works; otherwise why not (for the user: what failed and how to fix it). */
    static Optional<String> problem() {
        Optional<String> known = problem;
        if (known == null) {
            known = probe();
            problem = known;
        }
        return known;
    }

    private static Optional<String> probe() {
        try {
            Process p = new ProcessBuilder(List.of(PROGRAM, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-net",
                    "--unshare-pid", "--die-with-parent", "true")).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of("bubblewrap (bwrap) did not finish a test run within 10 s");
            }
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.exitValue() == 0 ? Optional.empty()
                    : Optional.of("bubblewrap (bwrap) fails here (" + out + "); unprivileged user namespaces may be disabled"
                            + " (sysctl kernel.unprivileged_userns_clone=1, or AppArmor's restrict_unprivileged_userns)");
        } catch (IOException e) {
            return Optional.of("bubblewrap (bwrap) is not installed; install it (e.g. apt-get install bubblewrap)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("the bubblewrap probe was interrupted");
        }
    }
}
