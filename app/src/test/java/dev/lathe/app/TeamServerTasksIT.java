package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Session;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet tasks (DESIGN §20, issue 45): {@code lathe run --attach URL --repo GIT_URL MESSAGE} against three real
 * {@code lathe serve --store … --max-sessions 2} nodes on one PostgreSQL and a bare repository on disk (a file path: no
 * network). Every task is sent at once, spread over the nodes; each runs on a node with room in a worktree of that
 * node's own clone, writes one file, and its branch {@code lathe/NAME} is pushed once (the bare repository's reflog
 * counts the updates); each run exits with its turn's code (every fourth turn fails at the provider: 1). No node ever
 * runs more than two tasks at once (the answers' own times, by the folder's node). A finished task is continued through
 * a node that did not run it, the others stopped: it fetches the pushed branch and goes on from it, and is listed by its
 * new folder; deleted, its worktree leaves that node's copy, and the node that ran it first prunes its own copy when it
 * starts again (the live tasks' stay); a task deleted through a node that neither made nor ran it leaves every node's copy
 * at once. A bad repository URL
 * fails at once with what git said, and {@code --repo} without {@code --attach} says what to add.
 *
 * <p>12 tasks in the suite (decision 419): twice what the three nodes may run at once, so every node queues and tasks 3,
 * 7 and 11 still fail at the provider; the 30 (about two minutes on a quiet 2-core machine, twice the CPU) run
 * with {@code -Dlathe.tasksIT.tasks=30}.
 */
class TeamServerTasksIT {
    private static final int TASKS = Integer.getInteger("lathe.tasksIT.tasks", 12);
    private static final int MAX_SESSIONS = 2;
    private static final Pattern TASK = Pattern.compile("(TASK|MORE)-(\\d+)");

    @TempDir Path tmp;

    @Test
    void queuedRepoTasksRunOnNodesWithRoomPushEachBranchOnceAndExitWithTheirTurnsCode() throws Exception {
        var db = PostgresCluster.shared().newDatabase("team_tasks");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("README.md", "the project\n").initGitRepo();
            Path origin = tmp.resolve("origin.git");
            git(tmp, "clone", "--quiet", "--bare", ws.path().toString(), origin.toString());
            // every update of a ref the repository receives is logged: how many times each branch was pushed
            git(origin, "config", "core.logAllRefUpdates", "always");
            llm.respondWith(TeamServerTasksIT::answer);
            String provider = Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-x");
            String config = provider.substring(0, provider.length() - 1) + ", \"permission\": {\"edit\": \"allow\"}}";
            List<TeamNode> nodes = new ArrayList<>();
            try {
                for (String name : List.of("node-a", "node-b", "node-c")) {
                    nodes.add(TeamNode.start(tmp.resolve(name), config, db.url(), "--max-sessions", String.valueOf(MAX_SESSIONS)));
                }
                List<Lathe> clients = new ArrayList<>();
                for (int i = 0; i < nodes.size(); i++) {
                    var client = new Lathe(tmp.resolve("client-" + i), config).withEnv("LATHE_SERVER_TOKEN", nodes.get(i).endpoint().token());
                    Files.createDirectories(client.home());
                    clients.add(client);
                }

                // bad input first: nothing of it may reach the nodes' queue
                var local = clients.getFirst().run("run", "--repo", origin.toString(), "TASK-0: nothing");
                assertThat(local.exit()).isEqualTo(2);
                assertThat(local.stderr()).contains("--repo queues a task on a team server: add --attach URL");
                var bad = clients.getFirst().run("run", "--attach", nodes.getFirst().endpoint().url(), "--repo", tmp.resolve("nowhere.git").toString(),
                        "TASK-0: nothing");
                assertThat(bad.exit()).as(bad.stderr()).isEqualTo(2);
                assertThat(bad.stderr()).contains("cannot clone the task's repository " + tmp.resolve("nowhere.git")).doesNotContain("Exception")
                        .doesNotContain("\tat ");

                // every task at once, round robin over the nodes
                Map<Integer, Process> runs = new HashMap<>();
                Map<Integer, Path> errs = new HashMap<>();
                for (int n = 1; n <= TASKS; n++) {
                    int i = n % nodes.size();
                    Path err = tmp.resolve("task-" + n + ".err");
                    errs.put(n, err);
                    runs.put(n, clients.get(i).command("run", "--attach", nodes.get(i).endpoint().url(), "--repo", origin.toString(), "--allow-all",
                            "TASK-" + n + ": write the task's file").redirectOutput(tmp.resolve("task-" + n + ".out").toFile()).redirectError(err.toFile())
                            .start());
                }
                for (var e : runs.entrySet()) {
                    int n = e.getKey();
                    Process p = e.getValue();
                    if (!p.waitFor(900, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        throw new AssertionError("task " + n + " did not finish: " + Files.readString(errs.get(n)));
                    }
                    String err = Files.readString(errs.get(n));
                    assertThat(p.exitValue()).as("task %d: %s", n, err).isEqualTo(fails(n) ? 1 : 0);
                    assertThat(err).as("task %d", n).doesNotContain("Exception").contains("lathe: task ses_").contains(" on branch lathe/");
                }

                // each task's branch holds its file, pushed once
                List<String> branches = lines(git(origin, "for-each-ref", "--format=%(refname:short)", "refs/heads/lathe/"));
                assertThat(branches).hasSize(TASKS);
                Map<Integer, String> branchOf = new HashMap<>();
                for (String b : branches) {
                    String files = git(origin, "ls-tree", "--name-only", b);
                    Matcher m = Pattern.compile("task-(\\d+)\\.txt").matcher(files);
                    assertThat(m.find()).as(b + " holds a task's file: " + files).isTrue();
                    branchOf.put(Integer.parseInt(m.group(1)), b);
                    assertThat(lines(git(origin, "reflog", "show", "--format=%H", "refs/heads/" + b))).as("pushes of " + b).hasSize(1);
                }
                assertThat(branchOf.keySet()).hasSize(TASKS);
                for (int n = 1; n <= TASKS; n++) assertThat(git(origin, "show", branchOf.get(n) + ":task-" + n + ".txt")).isEqualTo("done " + n + "\n");

                // no node ran more than MAX_SESSIONS tasks at once; the queue went to more than one node
                List<Session> sessions;
                try (var client = nodes.getFirst().client(ws.path())) {
                    sessions = client.sessions("").stream().filter(s -> s.worktree().isPresent()).toList();
                    assertThat(sessions).hasSize(TASKS);
                    Map<Integer, List<long[]>> spans = new HashMap<>();
                    for (Session s : sessions) {
                        int node = nodeOf(nodes, s);
                        for (var m : client.messages(s.id())) {
                            if (m.info() instanceof AssistantMessage a) {
                                spans.computeIfAbsent(node, _ -> new ArrayList<>()).add(new long[] {a.createdAt(), a.completedAt().orElseThrow()});
                            }
                        }
                    }
                    assertThat(spans.keySet()).as("nodes that ran tasks").hasSizeGreaterThan(1);
                    for (var e : spans.entrySet()) assertThat(mostAtOnce(e.getValue())).as("tasks at once on node %d", e.getKey()).isLessThanOrEqualTo(MAX_SESSIONS);
                }

                // a finished task goes on through a node that did not run it, the others stopped: it fetches the pushed branch
                Session done = sessions.stream().filter(s -> !fails(taskOf(s))).findFirst().orElseThrow();
                int n = taskOf(done);
                int ranOn = nodeOf(nodes, done);
                int next = (ranOn + 1) % nodes.size();
                for (int i = 0; i < nodes.size(); i++) if (i != next) nodes.get(i).close();
                var more = clients.get(next).runIn(tmp, "", "run", "--attach", nodes.get(next).endpoint().url(), "--session", done.id().value(), "--allow-all",
                        "MORE-" + n + ": add a second file");
                assertThat(more.exit()).as(more.stderr()).isZero();
                String branch = done.worktree().orElseThrow().branch();
                assertThat(git(origin, "show", branch + ":task-" + n + ".txt")).isEqualTo("done " + n + "\n");
                assertThat(git(origin, "show", branch + ":more-" + n + ".txt")).isEqualTo("more " + n + "\n");
                assertThat(lines(git(origin, "reflog", "show", "--format=%H", "refs/heads/" + branch))).hasSize(2);
                try (var client = nodes.get(next).client(ws.path())) {
                    Session now = client.session(done.id());
                    assertThat(nodeOf(nodes, now)).as("the node that went on runs it in its own copy").isEqualTo(next);
                    // listed by the folder it runs in now (lathe sessions --dir), and by that copy; no more by its first one
                    assertThat(client.sessions(now.directory())).extracting(Session::id).contains(done.id());
                    assertThat(client.sessions(now.worktree().orElseThrow().mainCheckout())).extracting(Session::id).contains(done.id());
                    assertThat(client.sessions(done.directory())).extracting(Session::id).doesNotContain(done.id());
                    assertThat(client.sessions(done.worktree().orElseThrow().mainCheckout())).extracting(Session::id).doesNotContain(done.id());

                    // deleted through the node whose copy it runs in: its worktree leaves that copy; its pushed branch stays
                    client.deleteSession(done.id());
                    assertThat(Path.of(now.directory())).doesNotExist();
                    assertThat(git(origin, "show", branch + ":more-" + n + ".txt")).isEqualTo("more " + n + "\n");
                }
                // the node that ran it first starts again: it prunes its copy of the deleted task, and keeps the live ones'
                nodes.set(ranOn, TeamNode.start(nodes.get(ranOn).lathe().home(), config, db.url(), "--max-sessions", String.valueOf(MAX_SESSIONS)));
                assertThat(Path.of(done.directory())).as("the deleted task's worktree on the node that ran it first").doesNotExist();
                for (Session s : sessions) {
                    if (!s.id().equals(done.id()) && nodeOf(nodes, s) == ranOn) assertThat(Path.of(s.directory())).as("a live task's worktree").isDirectory();
                }
                // every node up again: a task deleted through a node that neither made nor ran it leaves every node's copy at
                // once (on its session.deleted event, which crosses nodes), the copy of the node it was sent to as well as
                // the one of the node it ran on; the event names only the latter
                int third = 3 - ranOn - next;
                nodes.set(third, TeamNode.start(nodes.get(third).lathe().home(), config, db.url(), "--max-sessions", String.valueOf(MAX_SESSIONS)));
                Session other = sessions.stream().filter(s -> !s.id().equals(done.id())).findFirst().orElseThrow();
                String name = other.worktree().orElseThrow().name();
                int otherRanOn = nodeOf(nodes, other);
                int sentTo = taskOf(other) % nodes.size();
                int through = java.util.stream.IntStream.range(0, nodes.size()).filter(i -> i != otherRanOn && i != sentTo).findFirst().orElseThrow();
                assertThat(copiesOf(nodes, name)).as("the live task's worktrees").contains(Path.of(other.directory()));
                try (var client = nodes.get(through).client(ws.path())) {
                    client.deleteSession(other.id());
                }
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!copiesOf(nodes, name).isEmpty() && System.nanoTime() < end) Thread.sleep(100);
                if (!copiesOf(nodes, name).isEmpty()) {
                    for (int i = 0; i < nodes.size(); i++) System.out.println("--- the log of node " + i + " ---\n" + nodes.get(i).log());
                }
                assertThat(copiesOf(nodes, name)).as("deleted through node %d (sent to %d, ran on %d): its worktrees", through, sentTo, otherRanOn).isEmpty();
            } finally {
                for (TeamNode node : nodes) node.close();
            }
        }
    }

    /** Each task's first request writes its file; its second answers, but every fourth task's fails at the provider. */
    private static Turn answer(RecordedRequest r) {
        Matcher m = TASK.matcher(lastUserText(r));
        if (!m.find()) return Turn.of(Step.text("no task in this request"));
        int n = Integer.parseInt(m.group(2));
        if (m.group(1).equals("MORE")) {
            if (r.toolResult("more_" + n).isEmpty()) {
                return Turn.of(Step.toolCall("more_" + n, "write", "{\"path\":\"more-" + n + ".txt\",\"content\":\"more " + n + "\\n\"}")).finish("tool_calls");
            }
            return Turn.of(Step.text("Added the second file of task " + n + "."));
        }
        if (r.toolResult("call_" + n).isEmpty()) {
            return Turn.of(Step.toolCall("call_" + n, "write", "{\"path\":\"task-" + n + ".txt\",\"content\":\"done " + n + "\\n\"}")).finish("tool_calls");
        }
        if (fails(n)) return Turn.httpError(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"task " + n + " refused\"}}", Map.of());
        return Turn.of(Step.text("Wrote the file of task " + n + "."));
    }

    /** The text of the conversation's last user message that holds a task's mark (tool results are user messages too). */
    private static String lastUserText(RecordedRequest r) {
        String last = "";
        for (var message : r.messages()) {
            if (!message.path("role").asString().equals("user")) continue;
            Matcher m = TASK.matcher(message.toString());
            while (m.find()) last = m.group();
        }
        return last;
    }

    private static boolean fails(int n) {
        return n % 4 == 3;
    }

    /** The task a session runs: an untitled session is named after its first prompt ("TASK-7: write …"). */
    private static int taskOf(Session s) {
        Matcher m = TASK.matcher(s.title());
        if (!m.find()) throw new AssertionError("not a task's session: " + s.title());
        return Integer.parseInt(m.group(2));
    }

    /** Which node's folders a session's directory is in (each node clones into its own data folder). */
    /** Task {@code name}'s worktrees in the nodes' copies of the repository. */
    private static List<Path> copiesOf(List<TeamNode> nodes, String name) throws IOException {
        Path tail = Path.of(".lathe", "worktrees", name);
        List<Path> found = new ArrayList<>();
        for (TeamNode node : nodes) {
            // data/lathe/tasks/REPO-HASH/REPO/.lathe/worktrees/NAME
            // git makes and removes lock files while the nodes work: a walk that meets one vanishing looks again
            for (int attempt = 1; ; attempt++) {
                try (var walk = Files.walk(node.lathe().home().resolve("data"), 8)) {
                    found.addAll(walk.filter(p -> p.endsWith(tail) && Files.isDirectory(p)).toList());
                    break;
                } catch (UncheckedIOException e) {
                    if (!(e.getCause() instanceof NoSuchFileException) || attempt == 5) throw e;
                }
            }
        }
        return found;
    }

    private static int nodeOf(List<TeamNode> nodes, Session s) {
        for (int i = 0; i < nodes.size(); i++) if (s.directory().startsWith(nodes.get(i).lathe().home().toString())) return i;
        throw new AssertionError("a session outside every node's folders: " + s.directory());
    }

    /** The most spans that overlap at one moment. */
    private static int mostAtOnce(List<long[]> spans) {
        int most = 0;
        for (long[] s : spans) {
            int at = 0;
            for (long[] o : spans) if (o[0] <= s[0] && s[0] < o[1]) at++;
            most = Math.max(most, at);
        }
        return most;
    }

    private static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    private static String git(Path dir, String... args) throws Exception {
        var command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("git " + String.join(" ", args) + ": " + out).isZero();
        return out;
    }
}
