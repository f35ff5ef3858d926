package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §26 "secrets masked", through a real {@code lathe run --format json}: the provider key, read from a project
 * file by {@code read} and by {@code bash cat}, and a credential variable of the server's own environment echoed by a
 * command, reach neither the model's next request nor the events on stdout nor any file Lathe wrote (its log, the
 * session's database, the audit log): each is {@code ***}.
 */
class SecretMaskIT {
    @TempDir Path home;

    @Test
    void aKeyATookPrintsOrReadsIsMaskedInTheResultTheRequestAndTheEvents() throws Exception {
        String token = "ghp_serverSideToken0123456789";
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            ws.write("creds.txt", "ANTHROPIC_API_KEY=" + RunIT.KEY + "\n");
            String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY).replaceFirst("\\}$",
                    ", \"permission\": {\"bash\": \"allow\", \"read\": \"allow\"}}");
            llm.enqueue(Turn.of(
                    Step.toolCall("r1", "read", "{\"path\": \"creds.txt\"}"),
                    Step.toolCall("b1", "bash", "{\"command\": \"cat creds.txt; printf 'token=%s\\\\n' \\\"$(cat token.txt)\\\"\"}")).finish("tool_calls"));
            ws.write("token.txt", token);
            llm.enqueue(Turn.of(Step.text("Read them.")));
            var lathe = new Lathe(home, config).withEnv("GITHUB_TOKEN", token);
            var run = lathe.run("run", "--dir", ws.path().toString(), "--format", "json", "show me the credentials");
            assertThat(run.exit()).as(run.stderr()).isZero();
            var last = llm.requests().getLast();
            assertThat(last.toolResult("r1")).hasValueSatisfying(r -> assertThat(r).contains("ANTHROPIC_API_KEY=***").doesNotContain(RunIT.KEY));
            assertThat(last.toolResult("b1")).hasValueSatisfying(r -> assertThat(r).contains("ANTHROPIC_API_KEY=***").contains("token=***")
                    .doesNotContain(RunIT.KEY).doesNotContain(token));
            assertThat(last.body()).doesNotContain(RunIT.KEY).doesNotContain(token);
            assertThat(run.stdout()).contains("***").doesNotContain(RunIT.KEY).doesNotContain(token);
            assertThat(run.stderr()).doesNotContain(RunIT.KEY).doesNotContain(token);
            // nor anything Lathe wrote: its log, the session's database, the audit log, the snapshots
            try (var files = Files.walk(home)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String bytes = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                    assertThat(bytes).as(f.toString()).doesNotContain(RunIT.KEY).doesNotContain(token);
                }
            }
        }
    }
}
