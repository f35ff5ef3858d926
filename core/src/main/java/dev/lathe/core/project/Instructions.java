package dev.lathe.core.project;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Project memory for system block B (DESIGN §12): the global {@code AGENTS.md}, then every {@code AGENTS.md} (else
 * {@code CLAUDE.md}) from the repository root down to the working folder, then files named in {@code instructions}.
 * The text is identical for every session of the project, which keeps block B cacheable.
 */
public final class Instructions {
    private Instructions() {}

    public static String load(Path workingDir, Path repoRoot, Path globalConfigDir, List<String> extra) {
        List<Path> files = new ArrayList<>();
        files.add(globalConfigDir.resolve("AGENTS.md"));
        List<Path> chain = new ArrayList<>();
        for (Path p = workingDir; p != null; p = p.getParent()) {
            chain.addFirst(p);
            if (p.equals(repoRoot)) break;
        }
        for (Path dir : chain) {
            Path agents = dir.resolve("AGENTS.md");
            files.add(Files.isRegularFile(agents) ? agents : dir.resolve("CLAUDE.md"));
        }
        for (String name : extra) files.add(repoRoot.resolve(name));
        var out = new StringBuilder();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) continue;
            try {
                String text = Files.readString(f, StandardCharsets.UTF_8).strip();
                if (text.isEmpty()) continue;
                out.append("Instructions from ").append(f).append(":\n").append(text).append("\n\n");
            } catch (IOException ignored) {
                // an unreadable instruction file is skipped rather than failing every request
            }
        }
        return out.toString().strip();
    }
}
