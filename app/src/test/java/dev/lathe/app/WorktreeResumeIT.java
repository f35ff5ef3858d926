package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.session.Session;
import dev.lathe.run.console.ExitCode;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A session outlives its worktree (issue 53): an unchanged worktree goes when its run ends, by {@code lathe worktree
 * remove}, or by hand, and the session is resumed later — with {@code lathe run --session} and over HTTP, through the
 * daemon as a user's machine runs it, on real git repositories. Its tools never run in the vanished folder: the next
 * prompt makes the worktree again (from its branch when that is still there), a reused name is not the old session's,
 * and what cannot be made again is refused in one line before anything reaches the model.
 */
class WorktreeResumeIT {
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
    void aSessionWhoseWorktreeWasRemovedGetsItAgainAndNeverRunsInTheVanishedFolder() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create(); var plain = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();
            plain.write("a.txt", "no git\n");
            llm.respondWith(WorktreeResumeIT::writeWhatThePromptSays);
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-w")).daemonFirst();
            String repo = ws.path().toString();
            Path wt = ws.resolve(".lathe/worktrees/gone");
            try {
                // 1. an unchanged worktree goes with its branch when the run ends; the session stays, marked so
                var look = lathe.run("run", "--dir", repo, "-w", "gone", "--", "just look");
                assertThat(look.exit()).as(look.stderr()).isZero();
                assertThat(wt).doesNotExist();
                JsonNode listed = JSON.readTree(lathe.run("sessions", "--dir", repo, "--format", "json").stdout()).get(0);
                String id = listed.get("id").asString();
                assertThat(listed.get("worktree").get("name").asString()).isEqualTo("gone");
                assertThat(listed.get("worktree").get("removed").asBoolean()).isTrue();
                assertThat(lathe.run("sessions", "--dir", repo).stdout()).contains("WORKTREE").contains("lathe/gone (removed)");

                // 2. resumed: the worktree is made again, the tool runs there, and the user is told
                var back = lathe.run("run", "--dir", repo, "--allow-all", "--session", id, "--", "write b.txt saying back");
                assertThat(back.exit()).as(back.stderr()).isZero();
                assertThat(back.stderr()).contains("the session's worktree gone had been removed; it goes on in a new checkout at " + wt);
                assertThat(back.stderr()).doesNotContain("does not exist");
                assertThat(Files.readString(wt.resolve("b.txt"))).isEqualTo("back\n");
                assertThat(ws.resolve("b.txt")).doesNotExist();
                assertThat(ws.git("-C", wt.toString(), "rev-parse", "--abbrev-ref", "HEAD").strip()).isEqualTo("lathe/gone");
                Session resumed = session(lathe, repo, id);
                assertThat(resumed.directory()).isEqualTo(wt.toString());
                assertThat(resumed.worktree().orElseThrow().removedAt()).isEmpty();

                // 3. removed by hand, its branch kept with a commit: made again from that branch, the commit there
                ws.git("-C", wt.toString(), "add", "-A");
                ws.git("-C", wt.toString(), "commit", "-qm", "b");
                deleteTree(wt);
                var again = lathe.run("run", "--dir", repo, "--allow-all", "--session", id, "--", "write c.txt saying more");
                assertThat(again.exit()).as(again.stderr()).isZero();
                assertThat(Files.readString(wt.resolve("b.txt"))).as("the branch's commit").isEqualTo("back\n");
                assertThat(Files.readString(wt.resolve("c.txt"))).isEqualTo("more\n");

                // 4. removed with lathe worktree remove, and the name taken again by a new session: the list names the new
                // session, and the old one resumes in a worktree of its own, never in the new session's
                assertThat(lathe.run("worktree", "remove", "gone", "--force", "--dir", repo).exit()).isZero();
                var fresh = lathe.run("run", "--dir", repo, "--allow-all", "-w", "gone", "--", "write d.txt saying new");
                assertThat(fresh.exit()).as(fresh.stderr()).isZero();
                JsonNode trees = JSON.readTree(lathe.run("worktree", "list", "--dir", repo, "--format", "json").stdout());
                String freshId = newest(lathe, repo).id().value();
                assertThat(freshId).isNotEqualTo(id);
                assertThat(trees.get(0).get("session").asString()).isEqualTo(freshId);
                var old = lathe.run("run", "--dir", repo, "--allow-all", "--session", id, "--", "write e.txt saying old");
                assertThat(old.exit()).as(old.stderr()).isZero();
                assertThat(wt.resolve("e.txt")).as("not in the new session's worktree").doesNotExist();
                Session oldRow = session(lathe, repo, id);
                Path elsewhere = Path.of(oldRow.directory());
                assertThat(elsewhere).isNotEqualTo(wt);
                assertThat(Files.readString(elsewhere.resolve("e.txt"))).isEqualTo("old\n");

                // 5. over HTTP: a prompt to a session whose worktree went is accepted and runs in the worktree made again
                assertThat(lathe.run("worktree", "remove", oldRow.worktree().orElseThrow().name(), "--force", "--dir", repo).exit()).isZero();
                assertThat(elsewhere).doesNotExist();
                ServerEndpoint server = lathe.server().orElseThrow();
                HttpResponse<String> accepted = prompt(server, repo, id, "write f.txt saying http");
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                awaitFile(elsewhere.resolve("f.txt"));

                // 6. what cannot be made again is refused in one line, before anything is stored or sent to the model
                var inPlain = lathe.run("run", "--dir", plain.path().toString(), "--", "just look");
                assertThat(inPlain.exit()).as(inPlain.stderr()).isZero();
                String plainId = newest(lathe, plain.path().toString()).id().value();
                deleteTree(plain.path());
                int requests = llm.requests().size();
                var refused = lathe.run("run", "--dir", repo, "--session", plainId, "--", "write g.txt saying no");
                assertThat(refused.exit()).isEqualTo(ExitCode.USAGE);
                assertThat(refused.stderr()).contains("session " + plainId + " cannot go on: its folder " + plain.path() + " no longer exists")
                        .doesNotContain("Exception").doesNotContain("workdir");
                HttpResponse<String> conflict = prompt(server, repo, plainId, "write g.txt saying no");
                assertThat(conflict.statusCode()).isEqualTo(409);
                assertThat(conflict.body()).contains("no longer exists").doesNotContain("Exception").doesNotContain("dev.lathe");
                assertThat(llm.requests()).hasSize(requests);
            } finally {
                lathe.stopDaemon();
            }
        }
    }

    @Test
    void theDocsExampleOfAMessageRightAfterWRunsInAWorktreeOfAGeneratedName() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();
            llm.respondWith(WorktreeResumeIT::writeWhatThePromptSays);
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-w"));
            // docs/worktrees.md: lathe run -w "try the other approach", in the repository
            var r = lathe.runIn(ws.path(), "", "run", "--allow-all", "-w", "write b.txt saying other");
            assertThat(r.exit()).as(r.stderr()).isZero();
            Matcher kept = Pattern.compile("lathe: worktree kept: (\\S+) \\(branch lathe/([a-z]+-[a-z]+)\\)").matcher(r.stderr());
            assertThat(kept.find()).as(r.stderr()).isTrue();
            assertThat(Files.readString(Path.of(kept.group(1)).resolve("b.txt"))).isEqualTo("other\n");
            assertThat(llm.requests().getFirst().lastUserText()).contains("write b.txt saying other");
        }
    }

    /**
     * Session {@code id} as the daemon lists it for {@code repo} ({@code lathe sessions} prints the same record). Read
     * over its API (decision 407): what {@code lathe sessions} prints is checked in step 1; a JVM start per look cost
     * ~1-2 s of CPU each.
     */
    private static Session session(Lathe lathe, String repo, String id) {
        try (var api = HttpLatheClient.connect(lathe.server().orElseThrow(), Optional.of(repo))) {
            return api.sessions(repo).stream().filter(s -> s.id().value().equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no session " + id + " listed in " + repo));
        }
    }

    /** The session of {@code dir} listed first (the newest, as {@code lathe sessions} lists them), over the daemon's API. */
    private static Session newest(Lathe lathe, String dir) {
        try (var api = HttpLatheClient.connect(lathe.server().orElseThrow(), Optional.of(dir))) {
            return api.sessions(dir).getFirst();
        }
    }

    private static HttpResponse<String> prompt(ServerEndpoint server, String directory, String id, String text) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.url() + "/sessions/" + id + "/prompt"))
                .header("Authorization", "Bearer " + server.token()).header("Content-Type", "application/json").header("X-Lathe-Directory", directory)
                .POST(HttpRequest.BodyPublishers.ofString("{\"parts\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"allowAll\":true}")).build();
        try (var http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long until = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(file)) {
            if (System.nanoTime() > until) throw new AssertionError("no " + file + " within 60 s");
            Thread.sleep(100);
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
