package dev.lathe.core.commandfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandFilesTest {
    @TempDir Path tmp;

    private Path write(String path, String text) throws Exception {
        Path file = tmp.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private List<CommandFile> find() {
        return CommandFiles.find(List.of(tmp.resolve("repo/sub"), tmp.resolve("repo")), List.of(tmp.resolve("config/commands"),
                tmp.resolve("opencode/commands"), tmp.resolve("opencode/command"), tmp.resolve("home/.claude/commands")));
    }

    private CommandFile named(String name) {
        return find().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no command " + name));
    }

    @Test
    void namesComeFromPathsAndTheNearestFolderWins() throws Exception {
        write("repo/.lathe/commands/review.md", "---\ndescription: Review (root)\n---\nReview $ARGUMENTS");
        write("repo/sub/.lathe/commands/review.md", "---\ndescription: Review (sub)\n---\nReview here");
        write("repo/.claude/commands/frontend/test.md", "Run the frontend tests");
        write("repo/.opencode/command/ship.md", "Ship it");
        write("repo/.opencode/commands/ship.md", "Ship it, plural folder");
        write("config/commands/review.md", "Global review");
        write("config/commands/mine.md", "# My own command\n\nDo my thing.");
        write("repo/.lathe/commands/has space.md", "skipped");
        write("repo/.lathe/commands/.hidden.md", "skipped");
        write("repo/.lathe/commands/notes.txt", "skipped");

        assertThat(find()).extracting(CommandFile::name).containsExactly("frontend:test", "mine", "review", "ship");
        assertThat(named("review").description()).isEqualTo("Review (sub)");
        assertThat(named("review").file()).isEqualTo(tmp.resolve("repo/sub/.lathe/commands/review.md"));
        assertThat(named("ship").template()).isEqualTo("Ship it, plural folder");
        // no description: the body's first line, without its heading marks
        assertThat(named("mine").description()).isEqualTo("My own command");
        assertThat(named("frontend:test").template()).isEqualTo("Run the frontend tests");
    }

    @Test
    void theUsersOpenCodeAndClaudeCodeCommandsComeLastAndKeepTheirDialect() throws Exception {
        write("home/.claude/commands/summary.md", "---\nmodel: sonnet\n---\nSummarise");
        write("home/.claude/commands/standup.md", "---\ndescription: Write my standup\nmodel: sonnet\nallowed-tools: Bash(git log:*)\n---\nSummarise $ARGUMENTS");
        write("home/.claude/commands/review.md", "Claude Code's personal review");
        write("config/commands/review.md", "Lathe's own review");
        write("home/.claude/commands/ship.md", "Personal ship");
        write("opencode/command/standup.md", "OpenCode's standup");
        write("opencode/command/deploy.md", "OpenCode's deploy");
        write("repo/.lathe/commands/ship.md", "The project's ship");

        assertThat(find()).extracting(CommandFile::name).containsExactly("deploy", "review", "ship", "standup", "summary");
        // OpenCode's global folder comes before Claude Code's
        assertThat(named("standup").template()).isEqualTo("OpenCode's standup");
        assertThat(named("deploy").template()).isEqualTo("OpenCode's deploy");
        // a Claude Code model alias is not a provider/model: the session's model is used, as for a project's .claude file
        assertThat(named("summary").model()).isEmpty();
        assertThat(named("review").template()).isEqualTo("Lathe's own review");
        assertThat(named("ship").template()).isEqualTo("The project's ship");
    }

    @Test
    void builtInNamesCannotBeTaken() throws Exception {
        write("repo/.lathe/commands/undo.md", "Not the real undo");
        write("repo/.lathe/commands/help.md", "Not the real help");
        write("repo/.lathe/commands/undo-all.md", "Fine");
        assertThat(find()).extracting(CommandFile::name).containsExactly("undo-all");
    }

    @Test
    void frontMatterFieldsAndClaudeModels() throws Exception {
        write("repo/.lathe/commands/plan-it.md", """
                ---
                description: Plan the change
                agent: plan
                model: anthropic/claude-sonnet-4-5
                subtask: true
                ---
                Plan $1.
                """);
        write("repo/.claude/commands/commit.md", """
                ---
                allowed-tools: Bash(git add:*), Bash(git status:*), Bash(git commit:*)
                argument-hint: [message]
                description: Create a git commit
                model: claude-3-5-haiku-20241022
                ---
                ## Context

                - Current git status: !`git status`

                Commit with message $ARGUMENTS.
                """);
        write("repo/.lathe/commands/bad-model.md", "---\nmodel: sonnet\n---\nx");

        assertThat(named("plan-it")).isEqualTo(new CommandFile("plan-it", "Plan the change", Optional.of("plan"),
                Optional.of("anthropic/claude-sonnet-4-5"), "Plan $1.", tmp.resolve("repo/.lathe/commands/plan-it.md"), CommandFile.Scope.PROJECT, Optional.empty()));
        CommandFile commit = named("commit");
        assertThat(commit.problem()).isEmpty();
        assertThat(commit.description()).isEqualTo("Create a git commit");
        // Claude Code's model names say no provider: the session's model is used
        assertThat(commit.model()).isEmpty();
        assertThat(commit.template()).startsWith("## Context").contains("!`git status`").endsWith("Commit with message $ARGUMENTS.");
        assertThat(named("bad-model").problem()).hasValueSatisfying(p -> assertThat(p)
                .isEqualTo(tmp.resolve("repo/.lathe/commands/bad-model.md") + ": line 2: model must be provider/model, e.g. anthropic/claude-sonnet-4-5"));
    }

    @Test
    void aBrokenFileIsListedWithItsProblem() throws Exception {
        Path file = write("repo/.lathe/commands/broken.md", "---\ndescription: \"Fix it\n---\nbody");
        write("repo/.lathe/commands/empty.md", "---\ndescription: nothing\n---\n");
        CommandFile broken = named("broken");
        assertThat(broken.problem()).hasValue(file + ": line 2: the quoted value is not closed on its line (quoted values must fit on one line; use | for long text)");
        assertThat(broken.description()).isEqualTo("(broken: " + broken.problem().get() + ")");
        assertThat(named("empty").problem()).hasValueSatisfying(p -> assertThat(p).endsWith("the file has no text to send after its front matter"));
    }
}
