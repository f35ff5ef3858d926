package dev.lathe.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.PrivatePaths;
import dev.lathe.core.permission.PromptFiles;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.RuleOrigin;
import dev.lathe.core.permission.Ruleset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claude Code's memory files from real files: which reach block B, in which order, with which imports, and what is refused. */
class MemoryFilesTest {
    @TempDir Path tmp;
    Path home;
    Path global;
    Path repo;
    final List<PromptFiles.Skipped> skipped = new ArrayList<>();

    @BeforeEach
    void layout() throws Exception {
        tmp = tmp.toRealPath();
        home = Files.createDirectories(tmp.resolve("home"));
        global = Files.createDirectories(home.resolve(".config/lathe"));
        repo = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectories(repo.resolve(".git"));
    }

    private Path write(String file, String text) throws Exception {
        Path p = file.startsWith("~/") ? home.resolve(file.substring(2)) : file.startsWith("/") ? Path.of(file) : repo.resolve(file);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    private PromptFiles guard(boolean trusted, Rule... more) {
        List<Rule> rules = new ArrayList<>(List.of(new Rule("read", "*", Action.ALLOW, RuleOrigin.NO_RULE)));
        rules.addAll(List.of(more));
        return new PromptFiles(repo, repo, new Ruleset(rules), trusted ? PromptFiles.Outside.READ_RULES : PromptFiles.Outside.WITHHELD,
                new PrivatePaths(List.of(global.resolve("private"))), skipped::add);
    }

    private Instructions.Loaded read(boolean trusted, Rule... more) {
        return Instructions.read(repo, repo, global, home, List.of(), guard(trusted, more));
    }

    private static List<String> markers(Instructions.Loaded loaded) {
        return loaded.text().lines().filter(l -> l.startsWith("MARK_")).toList();
    }

    private static List<String> problems(Instructions.Loaded loaded) {
        return loaded.problems().stream().map(MemoryFiles.Problem::message).toList();
    }

    @Test
    void everyMemoryFileInClaudeCodesOrderWithImportsDepthFirstAfterTheFileThatNamesThem() throws Exception {
        write("~/.claude/CLAUDE.md", "MARK_USER\n");
        write("~/.claude/rules/u.md", "MARK_USER_RULE\n");
        write("AGENTS.md", "MARK_AGENTS\n");
        write("CLAUDE.md", "MARK_ROOT\nSee @docs/a.md for more.\nAlso @AGENTS.md, read once already.\n");
        write("docs/a.md", "MARK_A\n@b.md\n");
        write("docs/b.md", "MARK_B\n");
        write(".claude/CLAUDE.md", "MARK_DOT_CLAUDE\n");
        write(".claude/rules/always.md", "---\ndescription: for every file\n---\nMARK_RULE_ALWAYS\n");
        write(".claude/rules/sub/nested.md", "MARK_RULE_NESTED\n");
        write(".claude/rules/scoped.md", "---\npaths:\n  - \"src/**/*.ts\"\n---\nMARK_RULE_SCOPED\n");
        write("CLAUDE.local.md", "MARK_LOCAL\n");

        Instructions.Loaded loaded = read(false);
        assertThat(markers(loaded)).containsExactly("MARK_USER", "MARK_USER_RULE", "MARK_AGENTS", "MARK_ROOT", "MARK_A", "MARK_B",
                "MARK_DOT_CLAUDE", "MARK_RULE_ALWAYS", "MARK_RULE_NESTED", "MARK_LOCAL");
        assertThat(loaded.text()).contains("Instructions from docs/a.md:\nMARK_A\n@b.md").contains("Instructions from ~/.claude/CLAUDE.md:")
                .doesNotContain("description: for every file");
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.memories()).extracting(MemoryFiles.Memory::why).contains("imported by CLAUDE.md:2", "imported by docs/a.md:2",
                "Claude Code's user memory", "Claude Code's local project memory of the project root", "a Claude Code rule for every file");
        assertThat(loaded.scoped()).singleElement().satisfies(r -> {
            assertThat(r.text()).isEqualTo("MARK_RULE_SCOPED");
            assertThat(r.matches(repo.resolve("src/app/a.ts"))).isTrue();
            assertThat(r.matches(repo.resolve("lib/a.ts"))).isFalse();
        });
    }

    @Test
    void importsInCodeSpansAndFencedBlocksAreTextAndEmailAddressesAreNoImports() throws Exception {
        write("CLAUDE.md", "Inline `@docs/code.md` is code.\n```\n@docs/fenced.md\n```\n~~~~\n@docs/fenced.md\n~~~~\nmail me@docs.md\n@docs/real.md\n");
        write("docs/code.md", "MARK_CODE\n");
        write("docs/fenced.md", "MARK_FENCED\n");
        write("docs/real.md", "MARK_REAL\n");
        Instructions.Loaded loaded = read(false);
        assertThat(markers(loaded)).containsExactly("MARK_REAL");
        assertThat(loaded.problems()).isEmpty();
    }

    @Test
    void fiveLevelsDeepCountingTheMemoryFileEachFileOnceAndACycleStoppedWithOneLine() throws Exception {
        write("CLAUDE.md", "@l1.md\n@x.md\n");
        write("l1.md", "MARK_1\n@l2.md\n");
        write("l2.md", "MARK_2\n@l3.md\n");
        write("l3.md", "MARK_3\n@l4.md\n");
        write("l4.md", "MARK_4\n@l5.md\n");
        write("l5.md", "MARK_5\n");
        write("x.md", "MARK_X\n@y.md\n");
        write("y.md", "MARK_Y\n@x.md\n@l1.md\n");
        Instructions.Loaded loaded = read(false);
        assertThat(markers(loaded)).containsExactly("MARK_1", "MARK_2", "MARK_3", "MARK_4", "MARK_X", "MARK_Y");
        assertThat(problems(loaded)).containsExactly(
                "l4.md:2: @l5.md: not read: imports go 5 levels deep at most, as in Claude Code",
                "y.md:2: @x.md: an import cycle (x.md is already being read): stopped there");
    }

    @Test
    void missingBinaryAndOversizedImportsAreRefusedWithTheFileAndLineAndTheRestStillLoads() throws Exception {
        write("CLAUDE.md", "MARK_ROOT\n@missing.md\n@img.png\n@big.md\n@ok.md\n");
        Files.write(repo.resolve("img.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1});
        write("big.md", "x".repeat(MemoryFiles.MAX_BYTES + 1));
        write("ok.md", "MARK_OK\n");
        Instructions.Loaded loaded = read(false);
        assertThat(markers(loaded)).containsExactly("MARK_ROOT", "MARK_OK");
        assertThat(problems(loaded)).containsExactly("CLAUDE.md:2: @missing.md: no such file",
                "CLAUDE.md:3: @img.png: refused: img.png is a binary file, not text",
                "CLAUDE.md:4: @big.md: refused: big.md is larger than 256 KiB");
    }

    @Test
    void anImportFromOutsideTheProjectIsReadOnlyInATrustedFolderUnderAnExternalDirectoryAllowAndTheUsersOwnMemoryImportsFreely()
            throws Exception {
        write("CLAUDE.md", "MARK_ROOT\n@~/notes.md\n@../outside.md\n");
        write("~/notes.md", "MARK_HOME_NOTES\n");
        write(tmp.resolve("outside.md").toString(), "MARK_OUTSIDE\n");
        write("~/.claude/CLAUDE.md", "MARK_USER\n@~/personal.md\n");
        write("~/personal.md", "MARK_PERSONAL\n");

        Instructions.Loaded untrusted = read(false);
        assertThat(markers(untrusted)).containsExactly("MARK_USER", "MARK_PERSONAL", "MARK_ROOT");
        assertThat(skipped).extracting(PromptFiles.Skipped::untilTrusted).containsExactly(true, true);
        assertThat(skipped.getFirst().message()).contains("notes.md").contains("imported by CLAUDE.md").contains("run lathe trust");
        assertThat(problems(untrusted)).hasSize(2).allSatisfy(p -> assertThat(p).contains("trust"));

        // trusted, as the read tool would: no external_directory allow rule, no import from outside (issue 79)
        Instructions.Loaded trustedOnly = read(true);
        assertThat(markers(trustedOnly)).containsExactly("MARK_USER", "MARK_PERSONAL", "MARK_ROOT");
        assertThat(problems(trustedOnly)).hasSize(2).allSatisfy(p -> assertThat(p).contains("external_directory").contains("\": \"allow\""));
        assertThat(markers(read(true, new Rule("external_directory", home.toRealPath() + "/**", Action.ALLOW, RuleOrigin.NO_RULE))))
                .containsExactly("MARK_USER", "MARK_PERSONAL", "MARK_ROOT", "MARK_HOME_NOTES");
        assertThat(markers(read(true, new Rule("external_directory", "*", Action.ALLOW, RuleOrigin.NO_RULE))))
                .containsExactly("MARK_USER", "MARK_PERSONAL", "MARK_ROOT", "MARK_HOME_NOTES", "MARK_OUTSIDE");
    }

    @Test
    void aLinkOutOfTheProjectAndADeniedFileAreNeverReadThroughAnImport() throws Exception {
        Path secret = write(tmp.resolve("secret.txt").toString(), "MARK_SECRET\n");
        Files.createSymbolicLink(repo.resolve("docs-link.md"), secret);
        write("CLAUDE.md", "MARK_ROOT\n@docs-link.md\n@.env\n");
        write(".env", "MARK_ENV\n");
        Instructions.Loaded loaded = read(false, new Rule("read", ".env", Action.DENY, RuleOrigin.NO_RULE));
        assertThat(loaded.text()).contains("MARK_ROOT").doesNotContain("MARK_SECRET").doesNotContain("MARK_ENV");
        assertThat(problems(loaded)).hasSize(2);
        // trusted, the link out is read only where an external_directory rule allows its real path; the deny rule still holds
        assertThat(read(true, new Rule("read", ".env", Action.DENY, RuleOrigin.NO_RULE)).text()).doesNotContain("MARK_SECRET").doesNotContain("MARK_ENV");
        Instructions.Loaded trusted = read(true, new Rule("read", ".env", Action.DENY, RuleOrigin.NO_RULE),
                new Rule("external_directory", secret.toRealPath().toString(), Action.ALLOW, RuleOrigin.NO_RULE));
        assertThat(trusted.text()).contains("MARK_SECRET").doesNotContain("MARK_ENV");
    }

    @Test
    void aRuleWithBadFrontMatterIsLeftOutWithItsLineAndANewMemoryFileMakesBlockBStale() throws Exception {
        write(".claude/rules/bad.md", "---\npaths: [unclosed\n");
        write(".claude/rules/good.md", "MARK_GOOD\n");
        Instructions.Loaded loaded = read(false);
        assertThat(markers(loaded)).containsExactly("MARK_GOOD");
        assertThat(problems(loaded)).singleElement().asString().startsWith(".claude/rules/bad.md:1: left out: ");
        assertThat(loaded.isCurrent()).isTrue();
        write("CLAUDE.local.md", "MARK_LOCAL\n");
        assertThat(loaded.isCurrent()).isFalse();
    }

    @Test
    void importSyntaxFollowsClaudeCodes() {
        assertThat(ImportSyntax.imports("a @x.md b @~/y.md\n@./z.md#part @my\\ file.md @@no @#no e@mail.com"))
                .extracting(ImportSyntax.Import::path).containsExactly("x.md", "~/y.md", "./z.md", "my file.md");
        assertThat(ImportSyntax.withoutCodeSpans("a ``x ` @y`` @z")).isEqualTo("a            @z");
    }
}
