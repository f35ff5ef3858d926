package dev.lathe.core.skill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillFilesTest {
    @TempDir Path tmp;

    private Path write(String path, String text) throws Exception {
        Path file = tmp.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private SkillFiles.Found find() {
        return SkillFiles.find(List.of(tmp.resolve("repo/sub"), tmp.resolve("repo")), List.of(tmp.resolve("config/skills"),
                tmp.resolve("opencode/skills"), tmp.resolve("opencode/skill"), tmp.resolve("home/.claude/skills")));
    }

    @Test
    void theUsersOpenCodeAndClaudeCodeSkillsComeAfterLathesOwn() throws Exception {
        write("home/.claude/skills/notes/SKILL.md", "---\ndescription: Claude Code's notes\n---\nshadowed\n");
        write("opencode/skills/commit/SKILL.md", "---\ndescription: OpenCode's commit skill\n---\nfirst\n");
        write("home/.claude/skills/commit/SKILL.md", "---\ndescription: Write commit messages\nallowed-tools: Bash\n---\nUse the imperative.\n");
        write("config/skills/notes/SKILL.md", "---\ndescription: Keep notes\n---\nWrite notes.\n");

        assertThat(find().skills()).containsExactly(
                new Skill("commit", "OpenCode's commit skill", tmp.resolve("opencode/skills/commit/SKILL.md")),
                new Skill("notes", "Keep notes", tmp.resolve("config/skills/notes/SKILL.md")));
        assertThat(find().watched()).contains(tmp.resolve("home/.claude/skills"));
    }

    @Test
    void findsSkillsByPrecedenceAndListsThemSortedWithoutPaths() throws Exception {
        write("repo/.lathe/skills/release/SKILL.md", "---\nname: release\ndescription: Cut a release.\n---\nSteps: see checklist.md\n");
        write("repo/.lathe/skills/release/checklist.md", "1. tag");
        write("repo/sub/.claude/skills/release/SKILL.md", "---\ndescription: Nearer release skill\n---\nNearer body\n");
        write("repo/.claude/skills/pdf/SKILL.md", "---\nname: pdf\ndescription: >\n  Fill PDF forms\n  and extract text.\nlicense: MIT\nallowed-tools: Read\n---\nUse pdftotext.\n");
        write("config/skills/notes/SKILL.md", "---\ndescription: Keep notes\n---\nWrite notes.\n");
        write("config/skills/pdf/SKILL.md", "---\ndescription: The user's pdf skill\n---\nshadowed\n");
        write("repo/.lathe/skills/empty-folder/README.md", "no SKILL.md here");

        SkillFiles.Found found = find();
        assertThat(found.skills()).containsExactly(
                new Skill("notes", "Keep notes", tmp.resolve("config/skills/notes/SKILL.md")),
                new Skill("pdf", "Fill PDF forms and extract text.", tmp.resolve("repo/.claude/skills/pdf/SKILL.md")),
                new Skill("release", "Nearer release skill", tmp.resolve("repo/sub/.claude/skills/release/SKILL.md")));
        assertThat(found.problems()).isEmpty();
        assertThat(SkillFiles.body(found.find("pdf").orElseThrow())).isEqualTo("Use pdftotext.");
        String listing = SkillFiles.listing(found.skills());
        assertThat(listing).startsWith("# Skills\n\n").endsWith("""
                - notes: Keep notes
                - pdf: Fill PDF forms and extract text.
                - release: Nearer release skill""").doesNotContain(tmp.toString());
        assertThat(SkillFiles.listing(found.skills().reversed())).isEqualTo(listing);
        assertThat(SkillFiles.listing(List.of())).isEmpty();
        assertThat(found.watched()).contains(tmp.resolve("repo/.lathe/skills"), tmp.resolve("repo/.lathe/skills/release/SKILL.md"),
                tmp.resolve("config/skills"));
    }

    @Test
    void brokenSkillsAreLeftOutWithTheirProblem() throws Exception {
        Path noDescription = write("repo/.lathe/skills/vague/SKILL.md", "---\nname: vague\n---\nbody");
        Path badName = write("repo/.lathe/skills/odd/SKILL.md", "---\nname: odd name!\ndescription: x\n---\nbody");
        Path badYaml = write("repo/.lathe/skills/yaml/SKILL.md", "---\ndescription: [unclosed\n---\nbody");
        write("repo/.lathe/skills/fine/SKILL.md", "---\ndescription: Fine\n---\nbody");

        SkillFiles.Found found = find();
        assertThat(found.skills()).extracting(Skill::name).containsExactly("fine");
        assertThat(found.problems()).containsOnlyKeys("vague", "odd", "yaml");
        assertThat(found.problems().get("vague")).isEqualTo(noDescription + ": line 1: a skill needs a description: it tells the model when to load it");
        assertThat(found.problems().get("odd")).startsWith(badName + ": line 2: the skill name 'odd name!' must be");
        assertThat(found.problems().get("yaml")).startsWith(badYaml + ": line 2:");
    }
}
