package dev.lathe.core.context;

import dev.lathe.core.git.HostGit;
import dev.lathe.core.snapshot.SharedRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The environment note stored as a synthetic text part of a session's first user message (never in the system
 * blocks, so they stay cacheable): working folder, platform, date, git branch and a short status summary.
 */
public final class Environment {
    /** Per folder: sessions that start together share a {@code git status} run. */
    private static final Map<Path, SharedRun<String>> STATUS = new ConcurrentHashMap<>();

    private Environment() {}

    public static String describe(Path directory, Path repoRoot) {
        return describe(directory, repoRoot, List.of());
    }

    /** The note with {@code more} lines at its end (the spend limits in force, decision 119). */
    public static String describe(Path directory, Path repoRoot, List<String> more) {
        var sb = new StringBuilder("<environment>\n");
        sb.append("Working folder: ").append(directory).append('\n');
        sb.append("Platform: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append('\n');
        sb.append("Date: ").append(LocalDate.now()).append('\n');
        boolean git = repoRoot.resolve(".git").toFile().exists();
        sb.append("Git repository: ").append(git ? "yes" : "no").append('\n');
        if (git) {
            // one process for both: the "## branch...upstream" header and one line per changed file
            List<String> status = STATUS.computeIfAbsent(directory, _ -> new SharedRun<>())
                    .get(() -> run(directory, status(directory))).lines().toList();
            if (!status.isEmpty() && status.getFirst().startsWith("## ")) {
                String header = status.getFirst().substring(3);
                String branch = header.startsWith("No commits yet on ") ? header.substring(18) : header.split("\\.\\.\\.| ")[0];
                sb.append("Git branch: ").append(branch).append('\n');
            }
            long changed = status.stream().filter(l -> !l.isBlank() && !l.startsWith("## ")).count();
            sb.append("Uncommitted changes: ").append(changed == 0 ? "none" : changed + " file(s)").append('\n');
        }
        for (String line : more) sb.append(line).append('\n');
        return sb.append("</environment>").toString();
    }

    /** {@code git status} that no repository's configuration makes run a program (a command may have made one here). */
    private static String[] status(Path directory) {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(HostGit.options(directory));
        command.addAll(List.of("status", "--porcelain", "--branch", "--ignore-submodules=all"));
        return command.toArray(String[]::new);
    }

    private static String run(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
