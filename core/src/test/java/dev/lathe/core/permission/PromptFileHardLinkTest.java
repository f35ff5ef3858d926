package dev.lathe.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project file Lathe reads into the prompt that is a second name (a hard link) of a file the {@code read} rules hold
 * back is held back too (issue 52): rules name paths, so {@link PromptFiles} reads through the file gateway, which
 * judges every name of the file it opened. Before, a hard link was "not a link" and its content went to the provider.
 */
class PromptFileHardLinkTest {
    @TempDir Path tmp;

    @Test
    void aHardLinkOfADeniedOrAskedFileStaysOutOfThePromptWhileOrdinaryFilesComeIn() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("p")).toRealPath();
        Files.writeString(root.resolve(".env"), "KEY=canary-env\n");
        Files.writeString(Files.createDirectories(root.resolve("secrets")).resolve("k"), "canary-key\n");
        Files.writeString(root.resolve("AGENTS.md"), "be kind\n");
        Files.createLink(root.resolve("CLAUDE.md"), root.resolve(".env"));
        Files.createLink(root.resolve("notes.md"), root.resolve("secrets/k"));
        var rules = new Ruleset(List.of(new Rule("read", "*", Action.ALLOW), new Rule("read", ".env", Action.DENY),
                new Rule("read", "secrets/**", Action.ASK)));
        List<PromptFiles.Skipped> skipped = new ArrayList<>();
        var files = new PromptFiles(root, root, rules, PromptFiles.Outside.READ_RULES, new PrivatePaths(List.of()), skipped::add);

        assertThat(files.read(root.resolve("AGENTS.md"))).contains("be kind\n");
        assertThat(files.read(root.resolve("CLAUDE.md"))).isEmpty();
        assertThat(files.read(root.resolve("notes.md"))).isEmpty();
        assertThat(skipped).extracting(s -> s.file().getFileName().toString()).containsExactly("CLAUDE.md", "notes.md");
        assertThat(skipped.getFirst().reason()).contains(".env");
    }
}
