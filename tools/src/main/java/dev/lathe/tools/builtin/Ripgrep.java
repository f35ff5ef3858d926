package dev.lathe.tools.builtin;

import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Finds and runs the {@code rg} binary for {@link RipgrepSearch}. */
final class Ripgrep {
    /** How a failure that can only come from the pattern (exit 2, nothing found) starts. */
    static final String INVALID = "invalid search: ";
    private static final Optional<Path> BINARY = find();

    private Ripgrep() {}

    static boolean available() { return BINARY.isPresent(); }

    private static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, "rg");
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /**
     * Output lines of {@code rg args...} run in {@code dir}, at most {@code maxLines} (rg is stopped once they are
     * read). Exit 1 means no match: an empty result. Exit 2 with nothing found is an error whose message (a bad regex,
     * usually) goes to the model.
     */
    static List<String> run(List<String> args, Path dir, ToolContext ctx, int maxLines) {
        List<String> cmd = new ArrayList<>();
        cmd.add(BINARY.orElseThrow().toString());
        cmd.addAll(args);
        Process p;
        try {
            // its output is filtered by the read rules before it is shown (SearchedFiles): the sandbox need not walk the
            // project to hide denied files from it
            p = ctx.guards().launcher().launchFilteredByCaller(new ProcessBuilder(cmd).directory(dir.toFile()));
        } catch (IOException e) {
            throw new ToolFailure("cannot run ripgrep: " + e.getMessage(), e);
        }
        // stderr is drained beside stdout so a chatty rg cannot block on a full pipe
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> {
            try (var in = p.getErrorStream()) {
                return new String(in.readNBytes(16 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, Thread::startVirtualThread);
        List<String> out = new ArrayList<>();
        boolean stopped = false;
        try (AutoCloseable _ = ctx.call().cancellation().onCancel(p::destroyForcibly);
             var reader = p.inputReader(StandardCharsets.UTF_8)) {
            p.getOutputStream().close();
            String line;
            while ((line = reader.readLine()) != null) {
                out.add(line);
                if (out.size() >= maxLines) {
                    stopped = true;
                    p.destroyForcibly();
                    break;
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ToolFailure("search interrupted");
        } catch (Exception e) {
            p.destroyForcibly();
            throw new ToolFailure("ripgrep failed: " + e.getMessage(), e);
        }
        if (ctx.call().cancellation().isCancelled()) throw new ToolFailure("search cancelled");
        if (!stopped && p.exitValue() > 1 && out.isEmpty()) {
            String message = errors.join().strip();
            throw new ToolFailure(INVALID + (message.isEmpty() ? "ripgrep exit " + p.exitValue() : message));
        }
        return out;
    }
}
