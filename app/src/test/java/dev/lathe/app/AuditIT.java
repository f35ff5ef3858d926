package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe audit} on the real jar (DESIGN §18): after a real session whose edit was asked and answered, the log
 * lists the decision, the answer and the call, {@code --verify} exits 0; once one byte of the file is changed,
 * {@code --verify} exits 1 naming the entry's line.
 */
class AuditIT {
    @TempDir Path home;

    @Test
    void verifyPassesOnARealSessionAndFailsNamingTheEntryAfterAByteIsChanged() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            llm.enqueue(Turn.of(Step.toolCall("call_edit", "edit",
                    "{\"path\":\"greet.py\",\"oldString\":\"\\\"Hello, \\\"\",\"newString\":\"\\\"Hi, \\\"\"}")));
            llm.enqueue(Turn.of(Step.text("Now it says Hi.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY));
            var edit = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "say Hi instead");
            assertThat(edit.exit()).as(edit.stderr()).isZero();

            var listed = lathe.run("audit", "--dir", ws.path().toString());
            assertThat(listed.exit()).as(listed.stderr()).isZero();
            assertThat(listed.stdout()).contains("decision call_edit edit [greet.py]").contains("answer call_edit edit: once by allow-all")
                    .contains("call call_edit edit (").contains("completed");
            assertThat(listed.stdout()).doesNotContain("Hi, ").doesNotContain(RunIT.KEY);

            var json = lathe.run("audit", "--dir", ws.path().toString(), "--format", "json");
            assertThat(json.exit()).as(json.stderr()).isZero();
            assertThat(json.stdout().lines()).allSatisfy(l -> assertThat(l).startsWith("{\"seq\":").contains("\"mac\":\""));

            var intact = lathe.run("audit", "--dir", ws.path().toString(), "--verify");
            assertThat(intact.exit()).as(intact.stderr()).isZero();
            assertThat(intact.stdout()).contains("intact:");

            Path file = auditFile();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            int target = 2;
            assertThat(lines.size()).isGreaterThanOrEqualTo(3);
            byte[] bytes = Files.readAllBytes(file);
            int offset = lines.getFirst().getBytes(StandardCharsets.UTF_8).length + 1 + lines.get(1).indexOf("\"call\":\"") + 9;
            bytes[offset] = (byte) (bytes[offset] == 'x' ? 'y' : 'x');
            Files.write(file, bytes);

            var broken = lathe.run("audit", "--dir", ws.path().toString(), "--verify");
            assertThat(broken.exit()).isEqualTo(1);
            assertThat(broken.stderr()).contains("broken at line " + target).contains("MAC does not match");
        }
    }

    @Test
    void verifyFailsAfterTheLastEntryIsCutOffAndTheDecisionNamesItsLayer() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            llm.enqueue(Turn.of(Step.toolCall("call_edit", "edit",
                    "{\"path\":\"greet.py\",\"oldString\":\"\\\"Hello, \\\"\",\"newString\":\"\\\"Hi, \\\"\"}")));
            llm.enqueue(Turn.of(Step.text("Now it says Hi.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY));
            var edit = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "say Hi instead");
            assertThat(edit.exit()).as(edit.stderr()).isZero();

            // the edit was asked by the built-in defaults' "edit": "ask"
            var json = lathe.run("audit", "--dir", ws.path().toString(), "--format", "json");
            assertThat(json.stdout()).contains("\"rule\":\"edit: *\",\"layer\":\"defaults\",\"source\":\"built-in defaults\"");

            var intact = lathe.run("audit", "--dir", ws.path().toString(), "--verify");
            assertThat(intact.exit()).as(intact.stderr()).isZero();

            Path file = auditFile();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertThat(lines.size()).isGreaterThanOrEqualTo(3);
            Files.writeString(file, String.join("\n", lines.subList(0, lines.size() - 1)) + "\n", StandardCharsets.UTF_8);

            var cut = lathe.run("audit", "--dir", ws.path().toString(), "--verify");
            assertThat(cut.exit()).isEqualTo(1);
            assertThat(cut.stderr()).contains("broken at line " + lines.size())
                    .contains("the log ends after entry " + (lines.size() - 1) + " but its head anchor records " + lines.size() + " entries");
        }
    }

    /**
     * Whoever can write the log but not read its key (the agent, a sandboxed command, a tool) rewrites an entry and
     * then every entry after it and the head anchor, each with a correct plain SHA-256 chain: {@code --verify} still
     * exits 1, naming the first entry rewritten, as its MAC cannot be made without the key.
     */
    @Test
    void verifyFailsNamingTheFirstRewrittenEntryWhenTheRestOfTheChainAndItsHeadAreRewrittenWithoutTheKey() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            llm.enqueue(Turn.of(Step.toolCall("call_edit", "edit",
                    "{\"path\":\"greet.py\",\"oldString\":\"\\\"Hello, \\\"\",\"newString\":\"\\\"Hi, \\\"\"}")));
            llm.enqueue(Turn.of(Step.text("Now it says Hi.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY));
            var edit = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "say Hi instead");
            assertThat(edit.exit()).as(edit.stderr()).isZero();
            assertThat(lathe.run("audit", "--dir", ws.path().toString(), "--verify").exit()).isZero();

            Path file = auditFile();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertThat(lines.size()).isGreaterThanOrEqualTo(3);
            assertThat(lines.get(1)).contains("\"call\":\"call_edit\"");
            // entry 2 says another call was made; it and every later entry are sealed again, each naming the one before
            List<String> forged = new java.util.ArrayList<>(List.of(lines.getFirst()));
            String prev = sealOf(lines.getFirst());
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                String prefix = line.substring(0, Math.max(line.lastIndexOf(",\"hash\":\""), line.lastIndexOf(",\"mac\":\"")));
                prefix = prefix.replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + prev + "\"");
                if (i == 1) prefix = prefix.replace("\"call\":\"call_edit\"", "\"call\":\"call_fake\"");
                prev = sha256(prefix);
                forged.add(prefix + ",\"hash\":\"" + prev + "\"}");
            }
            Files.writeString(file, String.join("\n", forged) + "\n", StandardCharsets.UTF_8);
            Path head = file.resolveSibling(file.getFileName().toString().replace(".jsonl", ".head"));
            Files.writeString(head, "{\"entries\":" + forged.size() + ",\"hash\":\"" + prev + "\"}\n", StandardCharsets.UTF_8);

            var verify = lathe.run("audit", "--dir", ws.path().toString(), "--verify");
            assertThat(verify.exit()).as(verify.stdout() + verify.stderr()).isEqualTo(1);
            assertThat(verify.stderr()).contains("broken at line 2");
            assertThat(verify.stdout()).doesNotContain("intact:");
        }
    }

    /** The hash or MAC that ends an entry line: what the next entry names as {@code prev}. */
    private static String sealOf(String line) {
        return line.substring(line.length() - 2 - 64, line.length() - 2);
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private Path auditFile() throws Exception {
        try (Stream<Path> all = Files.walk(home)) {
            var found = all.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("audit")
                    && p.toString().endsWith(".jsonl")).toList();
            assertThat(found).hasSize(1);
            assertThat(found.getFirst().resolveSibling(found.getFirst().getFileName().toString().replace(".jsonl", ".head"))).exists();
            return found.getFirst();
        }
    }
}
