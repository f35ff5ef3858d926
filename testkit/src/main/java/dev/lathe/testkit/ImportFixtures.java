package dev.lathe.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The session files real Claude Code, Codex and OpenCode wrote ({@code testkit/import-fixtures/files}, made by
 * {@code testkit/import-fixtures/regenerate.sh}), copied where a test wants them and moved to the test's own project
 * folder: the tools ran in {@link #RECORDED_PROJECT}, which every text file names and Claude Code's folder names
 * encode. OpenCode's database is copied as it is; its {@code session.directory} is the test's to change.
 */
public final class ImportFixtures {
    /** The project folder the tools ran in when the fixtures were made. */
    public static final String RECORDED_PROJECT = "/tmp/lathe-import-fixture/project";

    private ImportFixtures() {}

    /** {@code testkit/import-fixtures/files}, found above the working folder (a module's folder under the repository). */
    public static Path files() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("testkit/import-fixtures/files"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("no testkit/import-fixtures/files above " + Path.of("").toAbsolutePath());
        return dir.resolve("testkit/import-fixtures/files");
    }

    /** Claude Code's {@code projects} folder into {@code configDir} (what {@code CLAUDE_CONFIG_DIR} names), moved to {@code project}. */
    public static void claudeCode(Path configDir, Path project) throws IOException {
        copy(files().resolve("claude-code"), configDir, project);
    }

    /** Codex's {@code sessions} folder into {@code codexHome} (what {@code CODEX_HOME} names), moved to {@code project}. */
    public static void codex(Path codexHome, Path project) throws IOException {
        copy(files().resolve("codex"), codexHome, project);
    }

    /** OpenCode's data folder into {@code dataHome/opencode} ({@code XDG_DATA_HOME}); returns the database. */
    public static Path openCode(Path dataHome) throws IOException {
        Path to = dataHome.resolve("opencode");
        copy(files().resolve("opencode"), to, Path.of(RECORDED_PROJECT));
        return to.resolve("opencode.db");
    }

    /**
     * One of the other fixture folders ({@code claude-code-1.0}: Claude Code 1.0's inline subagent and an image read;
     * {@code opencode-1.1}: OpenCode 1.1's JSON-file storage; {@code codex-image}: an image attached to a Codex prompt)
     * into {@code to} (what the tool's variable names; for {@code opencode-1.1}, {@code XDG_DATA_HOME/opencode}), moved
     * to {@code project}.
     */
    public static void install(String fixture, Path to, Path project) throws IOException {
        copy(files().resolve(fixture), to, project);
    }

    /** Claude Code's name for a project folder: every character but letters and digits made {@code -}. */
    public static String claudeFolder(Path project) { return project.toString().replaceAll("[^a-zA-Z0-9]", "-"); }

    private static void copy(Path from, Path to, Path project) throws IOException {
        String recordedFolder = claudeFolder(Path.of(RECORDED_PROJECT));
        List<Path> all;
        try (Stream<Path> s = Files.walk(from)) {
            all = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : all) {
            String rel = from.relativize(f).toString().replace(recordedFolder, claudeFolder(project));
            Path target = to.resolve(rel);
            Files.createDirectories(target.getParent());
            if (f.toString().endsWith(".jsonl") || f.toString().endsWith(".json")) {
                Files.writeString(target, Files.readString(f, StandardCharsets.UTF_8).replace(RECORDED_PROJECT, project.toString()), StandardCharsets.UTF_8);
            } else {
                Files.copy(f, target);
            }
        }
    }
}
