package dev.lathe.core.git;

import dev.lathe.protocol.api.LatheException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * git in one folder of the user's, under {@link HostGit}'s options (asked once), with the variables that would point it
 * elsewhere dropped; its output read up to a bound and the rest discarded, so a huge change cannot fill memory. What
 * {@link ReviewDiff} and {@link WorkingDiff} run.
 */
final class GitRun {
    private static final long TIMEOUT_SECONDS = 60;

    private final Path dir;
    private List<String> options;

    GitRun(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** What one git command printed, {@code text} cut at the bound it was read with. */
    record Output(int exit, String text, boolean truncated, String error) {}

    Output run(int maxBytes, String... args) {
        if (options == null) options = HostGit.options(dir);
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(options);
        command.addAll(List.of("-c", "core.quotepath=false"));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(dir.toFile());
        for (String v : List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_EXTERNAL_DIFF")) {
            pb.environment().remove(v);
        }
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("GIT_PAGER", "cat");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<Bounded> err = CompletableFuture.supplyAsync(() -> Bounded.read(p.getErrorStream(), 8192), Thread::startVirtualThread);
            Bounded out = Bounded.read(p.getInputStream(), maxBytes);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LatheException.Failed("git " + args[0] + " took longer than " + TIMEOUT_SECONDS + " s in " + dir);
            }
            return new Output(p.exitValue(), out.text(), out.truncated(), err.join().text());
        } catch (IOException e) {
            throw new LatheException.Unavailable("cannot run git: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LatheException.Failed("interrupted while git " + args[0] + " ran");
        }
    }

    /** A stream read to its end, its first {@code max} bytes kept (cut at a line's end when one is near). */
    private record Bounded(String text, boolean truncated) {
        static Bounded read(InputStream in, int max) {
            var kept = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            boolean cut = false;
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    int room = max - kept.size();
                    if (n > room) cut = true;
                    if (room > 0) kept.write(buffer, 0, Math.min(n, room));
                }
            } catch (IOException e) {
                // the process ended or was ended: what was read stands
            }
            String text = kept.toString(StandardCharsets.UTF_8);
            if (cut) {
                int line = text.lastIndexOf('\n');
                if (line > text.length() / 2) text = text.substring(0, line + 1);
            }
            return new Bounded(text, cut);
        }
    }
}
