package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.ImportFixtures;
import dev.lathe.testkit.TempWorkspace;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Another harness's session file is untrusted input (issue 52), read by the packaged jar as its own process. Its text —
 * in the user's prompt, the assistant's answer, a tool call's arguments, a tool's result and the title — carries an
 * OSC 52 clipboard write, an OSC 0 title, CSI sequences (clear the screen, conceal), a DCS, a C1 CSI and a
 * right-to-left override: neither the import listing nor the Markdown export nor the sessions listing lets one byte of
 * them reach standard output or error raw, and the JSON export keeps the exact text (escaped). A record of 150 MB is
 * skipped and named by file and line while the others import, in a JVM whose heap (128 MiB) could not hold it.
 */
class HostileImportIT {
    static final String OSC52 = "\u001b]52;c;cHduZWQ=\u0007";
    static final String TITLE = "\u001b]0;PWNED\u0007";
    static final String CLEAR = "\u001b[2J\u001b[H";
    static final String CONCEAL = "\u001b[8mhidden\u001b[28m";
    static final String DCS = "\u001bP1$qm\u001b\\";
    static final String C1_CSI = "\u009b31m";
    static final String RLO = "\u202e";
    static final String HOSTILE = OSC52 + TITLE + CLEAR + CONCEAL + DCS + C1_CSI + RLO + "gnp.exe";
    static final String SESSION = "11111111-2222-4333-8444-555555555555";

    @TempDir Path home;
    /** The project folder the records name as their working folder. */
    private Path project;

    @Test
    void escapeSequencesInAnImportedSessionNeverReachStandardOutputRaw() throws Exception {
        try (var ws = TempWorkspace.create()) {
            ws.write("README.md", "a project\n").initGitRepo();
            Path config = home.resolve("claude-config");
            project = ws.path();
            Path file = sessionFile(config, ws.path());
            try (var out = Files.newBufferedWriter(file)) {
                out.write(record(1, "user", str("question " + HOSTILE), null) + "\n");
                out.write(record(2, "assistant", "[" + textBlock("answer " + HOSTILE) + ",{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Bash\","
                        + "\"input\":{\"command\":" + str("printf " + HOSTILE) + "}}]", "u-1") + "\n");
                out.write(record(3, "user", "[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":" + str("result " + HOSTILE) + "}]", "u-2") + "\n");
                out.write(record(4, "assistant", "[" + textBlock("done " + HOSTILE) + "]", "u-3") + "\n");
                out.write("{\"type\":\"summary\",\"summary\":" + str("title " + HOSTILE) + ",\"leafUuid\":\"u-4\"}\n");
            }
            var lathe = lathe(config);

            var listed = lathe.run("import", "--from", "claude-code", "--dir", ws.path().toString());
            assertThat(listed.exit()).as(listed.stderr()).isZero();
            assertThat(listed.stdout()).contains(SESSION).contains("title \u241b]52;c;cHduZWQ=\u2407");
            assertNoRawControl("the import listing", listed);

            var imported = lathe.run("import", "--from", "claude-code", "--dir", ws.path().toString(), "--all");
            assertThat(imported.exit()).as(imported.stderr()).isZero();
            assertNoRawControl("the import's lines", imported);
            String id = imported.stdout().lines().filter(l -> l.startsWith("ses_")).findFirst().orElseThrow().split("\t")[0];

            var markdown = lathe.run("export", id, "--format", "markdown");
            assertThat(markdown.exit()).as(markdown.stderr()).isZero();
            assertThat(markdown.stdout()).contains("question \u241b]52;c;cHduZWQ=\u2407\u241b]0;PWNED\u2407")
                    .contains("answer ").contains("result ").contains("done ").contains("<U+009B>31m").contains("<U+202E>gnp.exe");
            assertNoRawControl("the Markdown export", markdown);

            var sessions = lathe.run("sessions", "--dir", ws.path().toString());
            assertThat(sessions.exit()).as(sessions.stderr()).isZero();
            assertNoRawControl("the sessions listing", sessions);

            // JSON stays the exact data: the controls are there, as JSON escapes, and the value reads back whole
            var json = lathe.run("export", id);
            assertThat(json.exit()).as(json.stderr()).isZero();
            assertNoRawControl("the JSON export", json);
            JsonNode export = SessionsIT.JSON.readTree(json.stdout());
            assertThat(export.toString()).contains("\\u001B]52;c;cHduZWQ=\\u0007");
            assertThat(export.path("session").path("title").asString()).isEqualTo("title " + HOSTILE);
        }
    }

    @Test
    void aRecordOfOneHundredFiftyMegabytesIsSkippedByLineAndTheRestImportsInASmallHeap() throws Exception {
        try (var ws = TempWorkspace.create()) {
            ws.write("README.md", "a project\n").initGitRepo();
            Path config = home.resolve("claude-config");
            project = ws.path();
            Path file = sessionFile(config, ws.path());
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(bytes(record(1, "user", str("first question"), null) + "\n"));
                out.write(bytes(record(2, "assistant", "[" + textBlock("first answer") + "]", "u-1") + "\n"));
                // line 3: one user record of 150 MB, written as a real file
                out.write(bytes("{\"parentUuid\":\"u-2\",\"isSidechain\":false,\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\""));
                byte[] megabyte = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 150; i++) out.write(megabyte);
                out.write(bytes("\"},\"uuid\":\"u-3\",\"timestamp\":\"2026-11-25T20:13:03.000Z\",\"cwd\":" + str(ws.path().toString())
                        + ",\"sessionId\":\"" + SESSION + "\"}\n"));
                out.write(bytes(record(4, "user", str("second question"), "u-3") + "\n"));
                out.write(bytes(record(5, "assistant", "[" + textBlock("second answer") + "]", "u-4") + "\n"));
            }
            var lathe = lathe(config).withJvmFlags(List.of("-Xmx128m"));

            var imported = lathe.run("import", "--from", "claude-code", "--dir", ws.path().toString(), "--all");
            assertThat(imported.exit()).as(imported.stderr()).isZero();
            assertThat(imported.stderr()).contains(file + ":3: a record longer than 8 MiB; skipped").doesNotContain("OutOfMemoryError");
            String id = imported.stdout().lines().filter(l -> l.startsWith("ses_")).findFirst().orElseThrow().split("\t")[0];

            var markdown = lathe.run("export", id, "--format", "markdown");
            assertThat(markdown.exit()).as(markdown.stderr()).isZero();
            assertThat(markdown.stdout()).contains("first question", "first answer", "second question", "second answer").doesNotContain("xxxxxxxx");
        }
    }

    private Lathe lathe(Path config) throws IOException {
        Files.createDirectories(home.resolve("lathe"));
        // a UTF-8 locale, so a raw C1 control or override could reach the output at all (a C locale prints '?')
        return new Lathe(home.resolve("lathe"), Lathe.providerConfig("openai-chat", "http://127.0.0.1:9/v1", "sk-s"))
                .withEnv("CLAUDE_CONFIG_DIR", config.toString()).withEnv("LANG", "C.UTF-8").withEnv("LC_ALL", "C.UTF-8");
    }

    /** No ESC, no C0 control but newline and tab, no C1 control, no bidi override or isolate on either stream. */
    private static void assertNoRawControl(String what, Lathe.Result result) {
        for (var stream : List.of(result.stdout(), result.stderr())) {
            assertThat(stream.codePoints().filter(cp -> cp != '\n' && cp != '\t' && isControl(cp)).mapToObj(Integer::toHexString).toList())
                    .as(what + ": raw controls in\n" + stream).isEmpty();
        }
    }

    private static boolean isControl(int cp) {
        return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
    }

    private static Path sessionFile(Path config, Path project) throws IOException {
        Path dir = config.resolve("projects").resolve(ImportFixtures.claudeFolder(project));
        Files.createDirectories(dir);
        return dir.resolve(SESSION + ".jsonl");
    }

    private String record(int i, String type, String content, String parent) {
        String message = type.equals("user") ? "{\"role\":\"user\",\"content\":" + content + "}"
                : "{\"id\":\"msg_" + i + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":" + content
                        + ",\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}";
        return "{\"parentUuid\":" + (parent == null ? "null" : "\"" + parent + "\"") + ",\"isSidechain\":false,\"type\":\"" + type
                + "\",\"message\":" + message + ",\"uuid\":\"u-" + i + "\",\"timestamp\":\"2026-11-25T20:13:0" + i + ".000Z\",\"cwd\":"
                + str(project.toString()) + ",\"sessionId\":\"" + SESSION + "\",\"version\":\"2.1.328\"}";
    }

    private static String textBlock(String text) {
        return "{\"type\":\"text\",\"text\":" + str(text) + "}";
    }

    /** {@code s} as a JSON string, every control as a JSON escape (how Claude Code writes them). */
    private static String str(String s) {
        var out = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp == '"' || cp == '\\') out.append('\\').appendCodePoint(cp);
            else if (isControl(cp)) out.append(String.format("\\u%04x", cp));
            else out.appendCodePoint(cp);
        });
        return out.append('"').toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
