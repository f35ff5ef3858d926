package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.run.console.ExitCode;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lathe sessions}, {@code lathe export} and {@code lathe import} as separate processes. */
class SessionsIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path home;

    @Test
    void sessionsListsTheFolderWithoutStartingADaemon() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create(); var other = TempWorkspace.create()) {
            ws.write("a.txt", "x\n").initGitRepo();
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-s"));
            llm.enqueue(Turn.of(Step.text("one")));
            llm.enqueue(Turn.of(Step.text("two")));
            assertThat(lathe.run("run", "--dir", ws.path().toString(), "first").exit()).isZero();
            assertThat(lathe.run("run", "--dir", ws.path().toString(), "second").exit()).isZero();

            var r = lathe.run("sessions", "--dir", ws.path().toString(), "--format", "json");
            assertThat(r.exit()).as(r.stderr()).isZero();
            JsonNode list = JSON.readTree(r.stdout());
            assertThat(list.isArray()).isTrue();
            assertThat(list).hasSize(2);
            for (JsonNode s : list) {
                assertThat(s.get("id").asString()).startsWith("ses_");
                assertThat(s.get("parentId").isNull()).isTrue();
                assertThat(s.get("title").isString()).isTrue();
                assertThat(s.get("status").asString()).isEqualTo("idle");
                assertThat(s.get("directory").asString()).isEqualTo(ws.path().toString());
                assertThat(s.get("agent").asString()).isEqualTo("build");
                assertThat(s.get("model").asString()).isEqualTo("fake/fake-model");
                assertThat(s.get("createdAt").asLong()).isPositive();
                assertThat(s.get("updatedAt").asLong()).isGreaterThanOrEqualTo(s.get("createdAt").asLong());
            }
            assertThat(list.get(0).get("createdAt").asLong()).isGreaterThanOrEqualTo(list.get(1).get("createdAt").asLong());
            assertThat(lathe.serverJson()).as("listing never starts a daemon").doesNotExist();

            var text = lathe.run("sessions", "--dir", ws.path().toString());
            assertThat(text.exit()).isZero();
            assertThat(text.stdout().lines().toList()).hasSize(3).first().asString().startsWith("ID");
            assertThat(text.stdout()).contains(list.get(0).get("id").asString()).contains(list.get(1).get("id").asString());

            var none = lathe.run("sessions", "--dir", other.path().toString(), "--format", "json");
            assertThat(none.exit()).isZero();
            assertThat(none.stdout().strip()).isEqualTo("[]");
        }
    }

    /** Issue 71: {@code lathe sessions --attach URL} lists another server's sessions, as lathe run --attach reaches it. */
    @Test
    void sessionsAttachListsAnotherServersSessions() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            llm.enqueue(Turn.of(Step.text("Served there.")));
            var there = new Lathe(home.resolve("there"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-s")).daemonFirst();
            Files.createDirectories(there.home());
            try {
                var started = there.run("web", "--print-url");
                var server = there.server().orElseThrow(() -> new AssertionError("no server: " + started.stderr()));
                String dir = ws.path().toString();
                assertThat(there.run("run", "--attach", server.url(), "--dir", dir, "hello there").exit()).isZero();

                var here = new Lathe(Files.createDirectories(home.resolve("here")), "{}").withEnv("LATHE_SERVER_TOKEN", server.token());
                var listed = here.run("sessions", "--attach", server.url(), "--dir", dir, "--format", "json");
                assertThat(listed.exit()).as(listed.stderr()).isZero();
                JsonNode sessions = JSON.readTree(listed.stdout());
                assertThat(sessions).hasSize(1);
                assertThat(sessions.get(0).get("title").asString()).isEqualTo("hello there");
                var local = here.run("sessions", "--dir", dir, "--format", "json");
                assertThat(JSON.readTree(local.stdout())).as("this machine's own server has none").isEmpty();

                // issue 82: --dir names the server's folder (a container's /work/app): the client passes it through, and
                // what answers is the server, in its words, not "not a folder" from a look at this machine's disk
                var elsewhere = here.run("run", "--attach", server.url(), "--dir", "/work/app-only-on-the-server", "hello");
                assertThat(elsewhere.stderr()).doesNotContain("not a folder").contains("directory does not exist: /work/app-only-on-the-server");
            } finally {
                there.stopDaemon();
            }
        }
    }

    @Test
    void exportThenImportIntoAnotherDataFolderGivesTheSameSession() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "x\n").initGitRepo();
            var lathe = new Lathe(home.resolve("a"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-s"));
            Files.createDirectories(lathe.home());
            llm.enqueue(Turn.of(Step.text("Reading."), Step.toolCall("c1", "read", "{\"path\":\"a.txt\"}")));
            llm.enqueue(Turn.of(Step.text("It says x.")));
            assertThat(lathe.run("run", "--dir", ws.path().toString(), "what is in a.txt?").exit()).isZero();
            String id = JSON.readTree(lathe.run("sessions", "--dir", ws.path().toString(), "--format", "json").stdout()).get(0).get("id").asString();

            var export = lathe.run("export", id);
            assertThat(export.exit()).as(export.stderr()).isZero();
            JsonNode doc = JSON.readTree(export.stdout());
            assertThat(doc.get("format").asString()).isEqualTo("lathe.session/1");
            assertThat(doc.get("session").get("id").asString()).isEqualTo(id);
            assertThat(doc.get("messages")).hasSize(2); // the prompt and one answer of two steps

            Path file = Files.writeString(home.resolve("session.json"), export.stdout());
            var elsewhere = new Lathe(home.resolve("b"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-s"));
            Files.createDirectories(elsewhere.home());
            var imported = elsewhere.run("import", file.toString());
            assertThat(imported.exit()).as(imported.stderr()).isZero();
            assertThat(imported.stdout().strip()).isEqualTo(id);
            var again = elsewhere.run("export", id);
            // the same session, except that its project is this data folder's (decisions §34)
            var reexported = (tools.jackson.databind.node.ObjectNode) JSON.readTree(again.stdout());
            assertThat(reexported.get("session").get("projectId").asString()).startsWith("prj_");
            ((tools.jackson.databind.node.ObjectNode) reexported.get("session")).remove("projectId");
            ((tools.jackson.databind.node.ObjectNode) doc.get("session")).remove("projectId");
            assertThat(reexported).isEqualTo(doc);
            assertThat(elsewhere.run("import", file.toString()).exit()).as("the same session twice is a conflict").isEqualTo(ExitCode.USAGE);

            List<String> listed = JSON.readTree(elsewhere.run("sessions", "--dir", ws.path().toString(), "--format", "json").stdout())
                    .valueStream().map(s -> s.get("id").asString()).toList();
            assertThat(listed).containsExactly(id);
        }
    }
}
