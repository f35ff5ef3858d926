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
import java.util.concurrent.TimeUnit;

/** Runs ripgrep when it is on the PATH (it honours .gitignore and is fast); tools fall back to Java walks otherwise. */
final class Ripgrep {
    private static final Optional<Path> BINARY = find();

    private Ripgrep() {}

    static boolean available() { return BINARY.isPresent(); }

    private static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "rg");
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** Output lines of {@code rg args...} run in {@code dir}; exit 1 (no match) is an empty result. */
    static List<String> run(List<String> args, Path dir, ToolContext ctx, int maxLines) {
        List<String> cmd = new ArrayList<>();
        cmd.add(BINARY.orElseThrow().toString());
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            List<String> out = new ArrayList<>();
            try (AutoCloseable _ = ctx.cancellation().onCancel(p::destroyForcibly);
                 var reader = p.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (out.size() < maxLines) out.add(line);
                }
            } catch (Exception e) {
                throw new ToolFailure("ripgrep failed: " + e.getMessage(), e);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            if (p.exitValue() > 1 && out.isEmpty()) throw new ToolFailure("invalid search (ripgrep exit " + p.exitValue() + ")");
            return out;
        } catch (IOException e) {
            throw new ToolFailure("cannot run ripgrep: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("search interrupted");
        }
    }
}
