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

    @Test
    void agentSkillsFoldersOfTheProjectAndTheUserAreReadAndHeldToTheStandard() throws Exception {
        write("repo/.agents/skills/pdf-tools/SKILL.md", "---\nname: pdf-tools\ndescription: Read PDF files\nlicense: MIT\n---\nUse pdftotext.\n");
        write("home/.agents/skills/notes/SKILL.md", "---\nname: notes\ndescription: Keep notes\n---\nWrite notes.\n");
        Path upper = write("repo/.agents/skills/Upper/SKILL.md", "---\nname: Upper\ndescription: x\n---\nbody");
        Path other = write("repo/.agents/skills/folder/SKILL.md", "---\ndescription: x\nname: another\n---\nbody");
        Path noName = write("repo/.agents/skills/nameless/SKILL.md", "---\ndescription: x\n---\nbody");
        Path hyphens = write("repo/.agents/skills/a--b/SKILL.md", "---\nname: a--b\ndescription: x\n---\nbody");
        Path noDescription = write("repo/.agents/skills/quiet/SKILL.md", "---\nname: quiet\n---\nbody");
        Path longName = write("repo/.agents/skills/" + "n".repeat(65) + "/SKILL.md", "---\nname: " + "n".repeat(65) + "\ndescription: x\n---\nb");
        Path longDescription = write("repo/.agents/skills/wordy/SKILL.md", "---\nname: wordy\ndescription: " + "w".repeat(1025) + "\n---\nb");

        SkillFiles.Found found = SkillFiles.find(List.of(tmp.resolve("repo")), List.of(tmp.resolve("home/.agents/skills")));
        assertThat(found.skills()).extracting(Skill::name).containsExactly("notes", "pdf-tools");
        assertThat(SkillFiles.body(found.find("pdf-tools").orElseThrow())).isEqualTo("Use pdftotext.");
        assertThat(found.problems()).containsOnly(
                java.util.Map.entry("Upper", upper + ": line 2: name: 'Upper' must be lowercase letters, digits and single hyphens, not starting or"
                        + " ending with a hyphen"),
                java.util.Map.entry("folder", other + ": line 3: name: 'another' must equal the skill's folder name 'folder'"),
                java.util.Map.entry("nameless", noName + ": line 1: name: required by the Agent Skills standard (name: nameless)"),
                java.util.Map.entry("a--b", hyphens + ": line 2: name: 'a--b' must be lowercase letters, digits and single hyphens, not starting or"
                        + " ending with a hyphen"),
                java.util.Map.entry("quiet", noDescription + ": line 1: description: required: it tells the model when to load the skill"),
                java.util.Map.entry("n".repeat(65), longName + ": line 2: name: longer than 64 characters"),
                java.util.Map.entry("wordy", longDescription + ": line 3: description: longer than 1024 characters"));
    }
}
