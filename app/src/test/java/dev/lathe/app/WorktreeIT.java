package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.run.console.ExitCode;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code lathe run --worktree} and {@code lathe worktree} as a user meets them (DESIGN §18, §19): the packaged jar
 * against the fake model, on real git repositories.
 */
class WorktreeIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern KEPT = Pattern.compile("lathe: worktree kept: (\\S+) \\(branch (\\S+)\\)");

    @TempDir Path home;

    @BeforeEach
    void identity() throws Exception {
        // a user's git identity, which merges and commits in the main checkout need
        Files.writeString(home.resolve(".gitconfig"), "[user]\n\tname = Lathe User\n\temail = user@lathe.invalid\n[commit]\n\tgpgsign = false\n");
    }

    /** Each prompt names the file its session writes; the write's result ends the turn. */
    private static Turn writeWhatThePromptSays(RecordedRequest r) {
        Matcher m = Pattern.compile("write (\\S+) saying (\\S+)").matcher(r.lastUserText());
        if (!m.find()) return Turn.of(Step.text("nothing to do"));
        // one call id per file: a continued session's history holds the earlier writes' results
        String call = "w-" + m.group(1).replaceAll("[^A-Za-z0-9]", "");
        return r.toolResult(call).isEmpty()
                ? Turn.of(Step.toolCall(call, "write", "{\"path\":\"" + m.group(1) + "\",\"content\":\"" + m.group(2) + "\\n\"}"))
                : Turn.of(Step.text("wrote " + m.group(1)));
    }

    @Test
    void twoRunsAtOnceEachFinishInTheirOwnWorktreeAndTheMainTreeIsUntouched() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();
            llm.respondWith(WorktreeIT::writeWhatThePromptSays);
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-w")).daemonFirst();
            try {
                String repo = ws.path().toString();
                var one = lathe.start(ws.path(), "run", "--dir", repo, "--allow-all", "--worktree", "one", "--", "write one.txt saying first");
                var two = lathe.start(ws.path(), "run", "--dir", repo, "--allow-all", "-w", "two", "--", "write two.txt saying second");
                one.endInput();
                two.endInput();
                assertThat(one.awaitExit()).as(one.stderr()).isZero();
                assertThat(two.awaitExit()).as(two.stderr()).isZero();

                Path wtOne = ws.resolve(".lathe/worktrees/one");
                Path wtTwo = ws.resolve(".lathe/worktrees/two");
                assertThat(Files.readString(wtOne.resolve("one.txt"))).isEqualTo("first\n");
                assertThat(Files.readString(wtTwo.resolve("two.txt"))).isEqualTo("second\n");
                assertThat(wtOne.resolve("two.txt")).doesNotExist();
                assertThat(wtTwo.resolve("one.txt")).doesNotExist();
                // the main checkout: no new file, nothing changed, the worktrees' folder excluded without touching .gitignore
                assertThat(ws.resolve("one.txt")).doesNotExist();
                assertThat(ws.resolve("two.txt")).doesNotExist();
                assertThat(ws.git("status", "--porcelain")).isEmpty();
                assertThat(ws.resolve(".gitignore")).doesNotExist();
                assertThat(Files.readString(ws.resolve(".git/info/exclude"))).contains("/.lathe/worktrees/");

                // each run says where its kept worktree is, on stderr
                assertThat(kept(one.stderr())).containsExactly(wtOne.toString(), "lathe/one");
                assertThat(kept(two.stderr())).containsExactly(wtTwo.toString(), "lathe/two");
                assertThat(ws.git("branch", "--list", "lathe/*")).contains("lathe/one").contains("lathe/two");
                assertThat(ws.git("-C", wtOne.toString(), "rev-parse", "--abbrev-ref", "HEAD").strip()).isEqualTo("lathe/one");

                // the repository's session list holds both, each with the worktree as its directory
                var listed = lathe.run("sessions", "--dir", repo, "--format", "json");
                assertThat(listed.exit()).as(listed.stderr()).isZero();
                List<String> dirs = new ArrayList<>();
                for (JsonNode s : JSON.readTree(listed.stdout())) dirs.add(s.get("directory").asString());
                assertThat(dirs).containsExactlyInAnyOrder(wtOne.toString(), wtTwo.toString());

                var list = lathe.run("worktree", "list", "--dir", repo, "--format", "json");
                assertThat(list.exit()).as(list.stderr()).isZero();
                JsonNode trees = JSON.readTree(list.stdout());
                assertThat(trees).hasSize(2);
                assertThat(trees.get(0).get("name").asString()).isEqualTo("one");
                assertThat(trees.get(0).get("branch").asString()).isEqualTo("lathe/one");
                assertThat(trees.get(0).get("dirty").asBoolean()).isTrue();
                assertThat(trees.get(0).get("ahead").asInt()).isZero();
                assertThat(trees.get(0).get("session").asString()).startsWith("ses_");
            } finally {
                lathe.stopDaemon();
            }
        }
    }

    @Test
    void aRunWithoutChangesLeavesNothingBehindAndANameIsGeneratedWhenNoneIsGiven() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();
            llm.enqueue(Turn.of(Step.text("Nothing to change.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-w"));
            var r = lathe.run("run", "--dir", ws.path().toString(), "--worktree", "--", "just look");
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("Nothing to change.");
            assertThat(r.stderr()).doesNotContain("worktree kept");
            // the session ran in a worktree with a generated adjective-animal name, which went with its branch
            var sessions = JSON.readTree(lathe.run("sessions", "--dir", ws.path().toString(), "--format", "json").stdout());
            assertThat(sessions).hasSize(1);
            assertThat(sessions.get(0).get("directory").asString()).matches(Pattern.quote(ws.resolve(".lathe/worktrees").toString()) + "/[a-z]+-[a-z]+");
            try (var entries = Files.list(ws.resolve(".lathe/worktrees"))) {
                assertThat(entries).isEmpty();
            }
            assertThat(ws.git("branch", "--list", "lathe/*")).isEmpty();
            assertThat(ws.git("worktree", "list").lines()).hasSize(1);
            assertThat(ws.git("status", "--porcelain")).isEmpty();
        }
    }

    @Test
    void worktreeIncludeCopiesAnIgnoredEnvAndMergeBringsTheChangeIntoTheMainCheckout() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").write(".gitignore", ".env\nbuild.log\n").write(".worktreeinclude", ".env\n").initGitRepo();
            ws.write(".env", "KEY=local\n").write("build.log", "noise\n");
            llm.respondWith(WorktreeIT::writeWhatThePromptSays);
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-w"));
            String repo = ws.path().toString();
            var r = lathe.run("run", "--dir", repo, "--allow-all", "-w", "feature", "--", "write b.txt saying hello");
            assertThat(r.exit()).as(r.stderr()).isZero();
            Path wt = ws.resolve(".lathe/worktrees/feature");
            assertThat(Files.readString(wt.resolve(".env"))).isEqualTo("KEY=local\n");
            assertThat(wt.resolve("build.log")).as("ignored but not named by .worktreeinclude").doesNotExist();
            assertThat(Files.readString(wt.resolve("b.txt"))).isEqualTo("hello\n");

            // snapshots and /undo treat the worktree as the project: the session's later change is undone there, the
            // first stays, and the main checkout sees neither
            String id = JSON.readTree(lathe.run("sessions", "--dir", repo, "--format", "json").stdout()).get(0).get("id").asString();
            var more = lathe.run("run", "--dir", wt.toString(), "--allow-all", "--session", id, "--", "write c.txt saying later");
            assertThat(more.exit()).as(more.stderr()).isZero();
            assertThat(Files.readString(wt.resolve("c.txt"))).isEqualTo("later\n");
            var undo = lathe.run("run", "--dir", wt.toString(), "--session", id, "/undo");
            assertThat(undo.exit()).as(undo.stderr()).isZero();
            assertThat(wt.resolve("c.txt")).doesNotExist();
            assertThat(Files.readString(wt.resolve("b.txt"))).isEqualTo("hello\n");
            assertThat(ws.resolve("c.txt")).doesNotExist();

            var merged = lathe.run("worktree", "merge", "feature", "--dir", repo);
            assertThat(merged.exit()).as(merged.stderr()).isZero();
            assertThat(merged.stdout()).contains("merged lathe/feature into main");
            assertThat(ws.read("b.txt")).isEqualTo("hello\n");
            assertThat(ws.git("status", "--porcelain")).isEmpty();
            assertThat(ws.git("log", "-1", "--format=%s")).contains("lathe: changes from worktree feature");

            // merged: it goes without --force, and so does its branch
            var removed = lathe.run("worktree", "remove", "feature", "--dir", repo);
            assertThat(removed.exit()).as(removed.stderr()).isZero();
            assertThat(wt).doesNotExist();
            assertThat(ws.git("branch", "--list", "lathe/*")).isEmpty();
        }
    }

    @Test
    void aConflictingMergeIsAbortedAndNamesTheFilesAndADirtyWorktreeIsRemovedOnlyWithForce() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();
            llm.respondWith(WorktreeIT::writeWhatThePromptSays);
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-w"));
            String repo = ws.path().toString();
            assertThat(lathe.run("run", "--dir", repo, "--allow-all", "-w", "clash", "--", "write a.txt saying theirs").exit()).isZero();
            ws.write("a.txt", "ours\n");
            ws.git("commit", "-qam", "ours");
            String head = ws.git("rev-parse", "HEAD");

            // a dirty main checkout is refused before anything happens
            ws.write("a.txt", "uncommitted\n");
            var dirtyMain = lathe.run("worktree", "merge", "clash", "--dir", repo);
            assertThat(dirtyMain.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(dirtyMain.stderr()).contains("uncommitted changes").contains("a.txt");
            ws.git("checkout", "--", "a.txt");

            var conflict = lathe.run("worktree", "merge", "clash", "--dir", repo);
            assertThat(conflict.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(conflict.stderr()).contains("conflicts in: a.txt").contains("aborted");
            assertThat(ws.read("a.txt")).isEqualTo("ours\n");
            assertThat(ws.git("rev-parse", "HEAD")).isEqualTo(head);
            assertThat(ws.git("status", "--porcelain")).isEmpty();
            assertThat(ws.resolve(".git/MERGE_HEAD")).doesNotExist();

            // its change is committed on its branch now, which the main checkout does not hold: remove refuses
            Path wt = ws.resolve(".lathe/worktrees/clash");
            Files.writeString(wt.resolve("scratch.txt"), "wip\n");
            var refused = lathe.run("worktree", "remove", "clash", "--dir", repo);
            assertThat(refused.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(refused.stderr()).contains("uncommitted changes").contains("scratch.txt").contains("--force");
            assertThat(wt.resolve("scratch.txt")).exists();

            var forced = lathe.run("worktree", "remove", "clash", "--force", "--dir", repo);
            assertThat(forced.exit()).as(forced.stderr()).isZero();
            assertThat(wt).doesNotExist();
            assertThat(ws.git("branch", "--list", "lathe/*")).isEmpty();
        }
    }

    @Test
    void badInputIsRefusedClearlyAndChangesNothing() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create(); var plain = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();
            plain.write("a.txt", "no git here\n");
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-w"));
            String repo = ws.path().toString();

            var notGit = lathe.run("run", "--dir", plain.path().toString(), "-w", "x", "--", "hi");
            assertThat(notGit.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(notGit.stderr()).contains("not a git repository");
            assertThat(plain.resolve(".lathe")).doesNotExist();

            // every other bad name is WorktreesTest's (one process each would cost the suite seconds apiece)
            var slash = lathe.run("run", "--dir", repo, "--worktree=a/b", "--", "hi");
            assertThat(slash.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(slash.stderr()).contains("invalid worktree name 'a/b'").contains("cannot contain '/'");

            ws.git("branch", "lathe/taken");
            var branch = lathe.run("run", "--dir", repo, "-w", "taken", "--", "hi");
            assertThat(branch.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(branch.stderr()).contains("branch lathe/taken exists");
            assertThat(ws.resolve(".lathe/worktrees/taken")).doesNotExist();

            Files.createDirectories(ws.resolve(".lathe/worktrees/busy"));
            var exists = lathe.run("run", "--dir", repo, "-w", "busy", "--", "hi");
            assertThat(exists.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(exists.stderr()).contains("a worktree named busy exists");

            var unknown = lathe.run("worktree", "remove", "ghost", "--dir", repo);
            assertThat(unknown.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(unknown.stderr()).contains("no worktree named ghost");

            // -w takes an optional NAME: a one-word message written right after it is read as the name, and that is said
            // (a message of several words cannot be a name: it runs, see aMessageRightAfterWIsTheMessage)
            var swallowed = lathe.run("run", "--dir", repo, "-w", "fixit");
            assertThat(swallowed.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(swallowed.stderr()).contains("took \"fixit\" as the worktree's name").contains("lathe run -w -- MESSAGE");

            assertThat(llm.requests()).as("no bad input reached the model").isEmpty();
            assertThat(JSON.readTree(lathe.run("sessions", "--dir", repo, "--format", "json").stdout())).as("no session either").isEmpty();
            assertThat(ws.git("status", "--porcelain")).isEmpty();
            assertThat(ws.git("branch", "--list", "lathe/*").strip()).isEqualTo("lathe/taken");
        }
    }

    @Test
    void subagentsWithWorktreeIsolationWorkInParallelEachOnItsOwnBranch() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();
            llm.respondWith(r -> {
                if (r.system().contains("general-purpose agent")) return writeWhatThePromptSays(r);
                return r.toolResult("t1").isEmpty()
                        ? Turn.of(Step.toolCall("t1", "task", task("first", "write one.txt saying 1")),
                                Step.toolCall("t2", "task", task("second", "write two.txt saying 2")))
                        : Turn.of(Step.text("both agents are done"));
            });
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-w"));
            var r = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "split the work");
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("both agents are done");

            RecordedRequest last = llm.requests().stream().filter(q -> !q.system().contains("general-purpose agent")).reduce((a, b) -> b).orElseThrow();
            String first = last.toolResult("t1").orElseThrow();
            String second = last.toolResult("t2").orElseThrow();
            Matcher one = Pattern.compile("git worktree (\\S+) on branch (lathe/general-\\w+) \\(1 file changed, 1 insertion").matcher(first);
            Matcher two = Pattern.compile("git worktree (\\S+) on branch (lathe/general-\\w+) \\(1 file changed, 1 insertion").matcher(second);
            assertThat(one.find()).as(first).isTrue();
            assertThat(two.find()).as(second).isTrue();
            assertThat(one.group(2)).isNotEqualTo(two.group(2));
            assertThat(Files.readString(Path.of(one.group(1)).resolve("one.txt"))).isEqualTo("1\n");
            assertThat(Files.readString(Path.of(two.group(1)).resolve("two.txt"))).isEqualTo("2\n");
            assertThat(ws.resolve("one.txt")).doesNotExist();
            assertThat(ws.resolve("two.txt")).doesNotExist();
            assertThat(ws.git("status", "--porcelain")).isEmpty();
        }
    }

    private static String task(String description, String prompt) {
        return "{\"description\":\"" + description + "\",\"prompt\":\"" + prompt + "\",\"agent\":\"general\",\"isolation\":\"worktree\"}";
    }

    /** The path and branch a run printed for its kept worktree. */
    private static List<String> kept(String stderr) {
        Matcher m = KEPT.matcher(stderr);
        assertThat(m.find()).as(stderr).isTrue();
        return List.of(m.group(1), m.group(2));
    }
}
