package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code lathe diff} as a script runs it (DESIGN §32, decision 593), a separate process on a real git repository: a
 * worktree session's edits as the session's diff, its branch diff and git's uncommitted one, {@code --stat},
 * {@code --format json}, {@code --exit-code}, and refusals that exit 2 with the reason.
 */
class DiffIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path home;

    @BeforeEach
    void identity() throws Exception {
        Files.writeString(home.resolve(".gitconfig"), "[user]\n\tname = Lathe User\n\temail = user@lathe.invalid\n[commit]\n\tgpgsign = false\n");
    }

    private static Turn writeWhatThePromptSays(RecordedRequest r) {
        Matcher m = Pattern.compile("write (\\S+) saying (\\S+)").matcher(r.lastUserText());
        if (!m.find()) return Turn.of(Step.text("nothing to do"));
        String call = "w-" + m.group(1).replaceAll("[^A-Za-z0-9]", "");
        return r.toolResult(call).isEmpty()
                ? Turn.of(Step.toolCall(call, "write", "{\"path\":\"" + m.group(1) + "\",\"content\":\"" + m.group(2) + "\\n\"}"))
                : Turn.of(Step.text("wrote " + m.group(1)));
    }

    @Test
    void printsAWorktreeSessionsDiffInEachScopeAndForm() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();
            llm.respondWith(DiffIT::writeWhatThePromptSays);
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-d"));
            String repo = ws.path().toString();
            var ran = lathe.run("run", "--dir", repo, "--allow-all", "-w", "feat", "--", "write b.txt saying hello");
            assertThat(ran.exit()).as(ran.stderr()).isZero();
            String id = JSON.readTree(lathe.run("sessions", "--dir", repo, "--format", "json").stdout()).get(0).get("id").asString();

            var session = lathe.run("diff", id);
            assertThat(session.exit()).as(session.stderr()).isZero();
            assertThat(session.stdout()).startsWith("diff --git a/b.txt b/b.txt\n").contains("new file mode").endsWith("+hello\n");

            var branch = lathe.run("diff", id, "--scope", "branch", "--stat");
            assertThat(branch.exit()).as(branch.stderr()).isZero();
            assertThat(branch.stdout()).isEqualTo("1\t0\tb.txt\n");

            var json = lathe.run("diff", id, "--scope", "uncommitted", "--format", "json");
            assertThat(json.exit()).as(json.stderr()).isZero();
            JsonNode doc = JSON.readTree(json.stdout());
            assertThat(doc.get("scope").asString()).isEqualTo("uncommitted");
            assertThat(doc.get("files").get(0).get("path").asString()).isEqualTo("b.txt");
            assertThat(doc.get("files").get(0).get("binary").asBoolean()).isFalse();

            // the main checkout is untouched: its git diff is empty, in the worktree's repository
            assertThat(Files.exists(ws.resolve("b.txt"))).isFalse();
            assertThat(lathe.run("diff", id, "--exit-code").exit()).isEqualTo(1);
            assertThat(lathe.run("diff", id, "--scope", "turn", "--exit-code").exit()).isEqualTo(1);

            var badScope = lathe.run("diff", id, "--scope", "yesterday");
            assertThat(badScope.exit()).isEqualTo(2);
            assertThat(badScope.stderr()).contains("turn, session, uncommitted, branch");
            var unknown = lathe.run("diff", "ses_00000000000000000000000000");
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.stdout()).isEmpty();
        }
    }
}
