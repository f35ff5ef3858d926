package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom commands as a user runs them headless: {@code lathe run "/name args"} on the real jar, with command files in
 * the project, the permission rules of its {@code .lathe/lathe.json}, real bash and the fake model.
 */
class CommandsIT {
    @TempDir Path home;

    @Test
    void aMessageNamingACommandRunsItAndOtherSlashMessagesGoToTheModel() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            ws.write(".lathe/lathe.json", "{\"permission\": {\"bash\": {\"*\": \"ask\", \"echo *\": \"allow\", \"rm *\": \"deny\"}}}");
            ws.write(".lathe/commands/review.md", "---\ndescription: Review a file\n---\nReview @$1 for $2. Shell says: !`echo from-shell`");
            ws.write(".claude/commands/explain.md", "---\nargument-hint: [topic]\nallowed-tools: Bash(ls:*)\n---\nExplain $ARGUMENTS. Files: !`ls`");
            ws.write(".lathe/commands/nuke.md", "Cleaned: !`rm -rf build`");
            llm.enqueue(Turn.of(Step.text("It greets politely.")));
            llm.enqueue(Turn.of(Step.text("Explained.")));
            llm.enqueue(Turn.of(Step.text("Paths are not commands.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY));
            String dir = ws.path().toString();
            // the project's commands run their shell commands in a trusted folder (TrustIT covers the untrusted one)
            assertThat(lathe.run("trust", "--dir", dir).exit()).isZero();

            var review = lathe.run("run", "--dir", dir, "/review greet.py tone");
            assertThat(review.exit()).as(review.stderr()).isZero();
            assertThat(review.stdout()).contains("It greets politely.");
            String sent = expansion(llm.requests().getFirst());
            assertThat(sent).startsWith("Review @greet.py for tone. Shell says: from-shell\n\n<file path=\"greet.py\">\n")
                    .contains("def greet(name):");

            // a bash ask while the command is expanded is answered like a turn's: reject by default, allow with --allow-all
            var rejected = lathe.run("run", "--dir", dir, "/explain the layout");
            assertThat(rejected.exit()).as(rejected.stderr()).isEqualTo(3);
            assertThat(rejected.stderr()).contains("permission rejected: bash ls").contains("/explain was not sent");
            assertThat(llm.requests()).hasSize(1);
            var explain = lathe.run("run", "--dir", dir, "--allow-all", "/explain the layout");
            assertThat(explain.exit()).as(explain.stderr()).isZero();
            assertThat(expansion(llm.requests().get(1))).startsWith("Explain the layout. Files: greet.py\ntest_greet.py");

            var nuke = lathe.run("run", "--dir", dir, "/nuke");
            assertThat(nuke.exit()).isEqualTo(3);
            assertThat(nuke.stderr()).contains("/nuke was not sent: !`rm -rf build` is not allowed");
            assertThat(llm.requests()).hasSize(2);

            // a slash that names no command is an ordinary message
            var path = lathe.run("run", "--dir", dir, "/etc/hosts: what is it?");
            assertThat(path.exit()).as(path.stderr()).isZero();
            assertThat(llm.requests().get(2).lastUserText()).startsWith("/etc/hosts: what is it?");

            // Claude Code's personal commands (~/.claude/commands) are offered in every project
            java.nio.file.Files.createDirectories(home.resolve(".claude/commands"));
            java.nio.file.Files.writeString(home.resolve(".claude/commands/standup.md"), "---\nmodel: sonnet\n---\nWrite my standup about $ARGUMENTS.");
            llm.enqueue(Turn.of(Step.text("Standup written.")));
            var standup = lathe.run("run", "--dir", dir, "/standup the parser");
            assertThat(standup.exit()).as(standup.stderr()).isZero();
            assertThat(expansion(llm.requests().get(3))).startsWith("Write my standup about the parser.");
        }
    }

    /**
     * Issue 53: {@code opencode.json}'s {@code command} entries (OpenCode's shape: template, description, agent, model)
     * run as OpenCode runs them; a template's {@code !`cmd`} is not run (only command files are pinned by trust).
     */
    @Test
    void opencodeJsonCommandsRunWithTheirTemplateAgentAndModel() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            ws.write("opencode.json", "{\"$schema\": \"https://opencode.ai/config.json\", \"theme\": \"opencode\", \"command\": {"
                    + "\"review\": {\"description\": \"Review a file for bugs\", \"template\": \"Review $ARGUMENTS. Report bugs first.\","
                    + " \"agent\": \"plan\", \"model\": \"fake/review-model\"},"
                    + "\"status\": {\"template\": \"Summarise: !`echo from-shell`\"}}}");
            llm.enqueue(Turn.of(Step.text("Reviewed.")));
            llm.enqueue(Turn.of(Step.text("Summarised.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY));
            String dir = ws.path().toString();
            assertThat(lathe.run("trust", "--dir", dir).exit()).isZero();

            var review = lathe.run("run", "--dir", dir, "/review greet.py");
            assertThat(review.exit()).as(review.stderr()).isZero();
            assertThat(expansion(llm.requests().getFirst())).startsWith("Review greet.py. Report bugs first.");
            assertThat(llm.requests().getFirst().body()).contains("\"model\":\"review-model\"");

            var status = lathe.run("run", "--dir", dir, "/status");
            assertThat(status.exit()).as(status.stderr()).isZero();
            assertThat(expansion(llm.requests().get(1))).startsWith("Summarise: [!`echo from-shell` was not run: a command defined in opencode.json");
        }
    }

    /**
     * What a custom command sent the model after the line the user typed ({@code /name args}, issue 82): the expansion,
     * as the model reads it.
     */
    static String expansion(dev.lathe.testkit.RecordedRequest request) {
        String text = request.lastUserText();
        assertThat(text).as("the user's own line comes first").startsWith("/");
        return text.substring(text.indexOf('\n') + 1).stripLeading();
    }
}
