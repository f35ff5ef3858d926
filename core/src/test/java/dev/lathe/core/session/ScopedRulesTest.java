package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude Code rules with {@code paths:} front matter (DESIGN §27): not in block B; each joins after the first result
 * that reads or edits a matching file, once, and block B and the earlier messages stay as they were (the prompt cache's
 * prefix). End to end with the fake model over HTTP, the real tools and the SQLite store.
 */
class ScopedRulesTest {
    @TempDir Path tmp;

    private static String config(FakeLlm llm) {
        return "{\"model\": \"fake/m\", \"permission\": {\"edit\": \"allow\"}, \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \""
                + llm.baseUrl() + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}";
    }

    @Test
    void aScopedRuleJoinsAfterTheFirstReadOrEditOfAMatchingFileOnlyAndBlockBStaysTheSame() throws Exception {
        try (var llm = FakeLlm.start()) {
            try (var h = new Harness(tmp, config(llm), 20, Protocols.standard(HttpClient.newHttpClient()))) {
                Path project = h.project;
                Files.createDirectories(project.resolve(".git"));
                Files.createDirectories(project.resolve(".claude/rules"));
                Files.createDirectories(project.resolve("src/deep"));
                Files.createDirectories(project.resolve("lib"));
                Files.writeString(project.resolve("CLAUDE.md"), "MARK_ROOT\n");
                Files.writeString(project.resolve(".claude/rules/always.md"), "MARK_ALWAYS\n");
                Files.writeString(project.resolve(".claude/rules/ts.md"), "---\npaths:\n  - \"src/**/*.ts\"\n---\nMARK_TS_RULE\n");
                Files.writeString(project.resolve(".claude/rules/py.md"), "---\npaths: \"*.py\"\n---\nMARK_PY_RULE\n");
                // the user's own rules: ~/.claude/rules, globs relative to the project
                Path userRules = Files.createDirectories(tmp.resolve(".claude/rules"));
                Files.writeString(userRules.resolve("md.md"), "---\npaths: docs/*.md\n---\nMARK_USER_DOCS_RULE\n");
                Files.createDirectories(project.resolve("docs"));
                Files.writeString(project.resolve("docs/guide.md"), "guide\n");
                Files.writeString(project.resolve("src/deep/a.ts"), "let a = 1\n");
                Files.writeString(project.resolve("src/b.ts"), "let b = 2\n");
                Files.writeString(project.resolve("lib/x.py"), "x = 1\n");
                Files.writeString(project.resolve("notes.txt"), "notes\n");
                llm.enqueue(Turn.of(Step.toolCall("c1", "read", "{\"path\":\"notes.txt\"}")));
                llm.enqueue(Turn.of(Step.toolCall("c2", "read", "{\"path\":\"src/deep/a.ts\"}")));
                llm.enqueue(Turn.of(Step.toolCall("c3", "read", "{\"path\":\"src/b.ts\"}")));
                llm.enqueue(Turn.of(Step.toolCall("c4", "edit", "{\"path\":\"lib/x.py\",\"oldString\":\"x = 1\",\"newString\":\"x = 2\"}")));
                llm.enqueue(Turn.of(Step.toolCall("c5", "read", "{\"path\":\"docs/guide.md\"}")));
                llm.enqueue(Turn.of(Step.text("Done.")));
                var session = h.session().id();
                h.promptAndWait(session, "look around");

                List<RecordedRequest> requests = llm.requests();
                assertThat(requests).hasSize(6);
                assertThat(requests.get(0).system()).contains("MARK_ROOT").contains("MARK_ALWAYS").doesNotContain("MARK_TS_RULE")
                        .doesNotContain("MARK_PY_RULE").doesNotContain("MARK_USER_DOCS_RULE");
                assertThat(requests.get(1).toolResult("c1").orElseThrow()).doesNotContain("system-reminder");
                assertThat(requests.get(2).toolResult("c2").orElseThrow()).contains("let a = 1")
                        .contains("<system-reminder>\nInstructions from .claude/rules/ts.md:\nMARK_TS_RULE\n</system-reminder>");
                assertThat(requests.get(3).toolResult("c3").orElseThrow()).doesNotContain("system-reminder");
                assertThat(requests.get(4).toolResult("c4").orElseThrow()).contains("Instructions from .claude/rules/py.md:\nMARK_PY_RULE")
                        .doesNotContain("MARK_TS_RULE");
                assertThat(requests.get(5).toolResult("c5").orElseThrow()).contains("Instructions from ~/.claude/rules/md.md:\nMARK_USER_DOCS_RULE");
                assertThat(Files.readString(project.resolve("lib/x.py"))).isEqualTo("x = 2\n");
                // block B never changed: every request's system prompt is the first one's, and a rule is sent once
                for (RecordedRequest r : requests) assertThat(r.system()).isEqualTo(requests.get(0).system());
                assertThat(requests.get(5).body().split("MARK_TS_RULE", -1)).hasSize(2);
            }
        }
    }
}
