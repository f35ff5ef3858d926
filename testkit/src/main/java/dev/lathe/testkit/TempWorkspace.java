package dev.lathe.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A temporary project folder, deleted on close, with real git available through {@link #git}. */
public final class TempWorkspace implements AutoCloseable {
    private final Path root;

    private TempWorkspace(Path root) {
        this.root = root;
    }

    public static TempWorkspace create() {
        try {
            return new TempWorkspace(Files.createTempDirectory("lathe-ws-").toRealPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A workspace under {@code parent} rather than {@code /tmp}: the sandbox gives every command its own empty
     * {@code /tmp}, so a test of what a sandboxed command can reach needs its project elsewhere.
     */
    public static TempWorkspace createIn(Path parent) {
        try {
            Files.createDirectories(parent);
            return new TempWorkspace(Files.createTempDirectory(parent, "lathe-ws-").toRealPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A folder outside {@code /tmp} for tests of what a sandboxed command reaches: {@code preferred} (e.g. the module's
     * {@code target}) unless the checkout itself lies under {@code /tmp} (a CI clone), then {@code /var/tmp}, which the
     * sandbox shows as it is (read-only).
     */
    public static Path outsideTmp(Path preferred) {
        Path p = preferred.toAbsolutePath().normalize();
        return p.startsWith("/tmp") ? Path.of("/var/tmp", "lathe-tests") : p;
    }

    public Path path() { return root; }

    public Path resolve(String relative) { return root.resolve(relative); }

    public TempWorkspace write(String relative, String text) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String read(String relative) {
        try {
            return Files.readString(root.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code git init} plus one commit of everything written so far. */
    public TempWorkspace initGitRepo() {
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("commit", "-q", "-m", "initial");
        return this;
    }

    /** Runs git in the workspace with a fixed identity; returns stdout+stderr, fails on a non-zero exit. */
    public String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Lathe Test", "-c", "user.email=test@lathe.invalid",
                "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("git " + String.join(" ", args) + ": " + out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // best effort: a leftover temp folder must not fail the test that used it
        }
    }
}
