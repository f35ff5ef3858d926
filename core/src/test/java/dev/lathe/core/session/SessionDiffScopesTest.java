package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.DiffPage;
import dev.lathe.protocol.api.DiffQuery;
import dev.lathe.protocol.api.DiffScope;
import dev.lathe.protocol.api.FileDiff;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four scopes of a session's diff (DESIGN §32) on the real core, real snapshots and real git: the turn against the
 * session, a step's change shown while its turn still runs, git's uncommitted and branch diffs of a worktree session's
 * own folder, pages, and what git's diff must never do (read through a link out of the folder, dump a binary or a huge
 * file).
 */
class SessionDiffScopesTest {
    private static final String ALLOW = ", \"permission\": {\"edit\": \"allow\", \"bash\": \"allow\"}";

    @TempDir Path tmp;

    private static LlmEvent[] step(LlmEvent[]... calls) {
        return Stream.concat(Stream.of(calls).flatMap(Stream::of), Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new);
    }

    @Test
    void theTurnScopeHoldsOnlyTheLastTurnAndPagesFollowThePathOrder() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            Files.writeString(h.project.resolve("a.txt"), "one\n");
            var s = h.session();
            h.llm.then(step(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"ONE\\n\"}")));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "first");
            h.llm.then(step(call(0, "c2", "write", "{\"path\":\"b.txt\",\"content\":\"bee\\n\"}"),
                    call(1, "c3", "write", "{\"path\":\"c.txt\",\"content\":\"sea\\n\"}")));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "second");

            assertThat(h.api.diff(s.id(), DiffQuery.of(DiffScope.TURN)).files()).extracting(FileDiff::path).containsExactly("b.txt", "c.txt");
            assertThat(h.api.diff(s.id(), DiffQuery.of(DiffScope.SESSION)).files()).extracting(FileDiff::path).containsExactly("a.txt", "b.txt", "c.txt");

            var first = h.api.diff(s.id(), new DiffQuery(DiffScope.SESSION, OptionalInt.of(2), Optional.empty()));
            assertThat(first.files()).extracting(FileDiff::path).containsExactly("a.txt", "b.txt");
            assertThat(first.more()).isTrue();
            var second = h.api.diff(s.id(), new DiffQuery(DiffScope.SESSION, OptionalInt.of(2), Optional.empty()).next(first));
            assertThat(second.files()).extracting(FileDiff::path).containsExactly("c.txt");
            assertThat(second.more()).isFalse();
            assertThat(second.files().getFirst().patch()).contains("+sea");

            // the announcement the clients refetch on
            h.awaitEvent(e -> e instanceof Event.DiffUpdated d && d.sessionId().equals(s.id()));
            assertThatThrownBy(() -> new DiffQuery(DiffScope.TURN, OptionalInt.of(0), Optional.empty())).isInstanceOf(LatheException.InvalidInput.class);
            assertThatThrownBy(() -> DiffScope.parse("yesterday")).isInstanceOf(LatheException.InvalidInput.class)
                    .hasMessageContaining("turn, session, uncommitted, branch");
        }
    }

    @Test
    void aStepsChangeShowsWhileItsTurnStillRuns() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            var s = h.session();
            h.llm.then(step(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"first\\n\"}")));
            // the second step writes and then keeps running: its change has no patch part yet
            h.llm.then(step(call(0, "c2", "bash", "{\"command\":\"echo live > live.txt && sleep 4\"}")));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.api.prompt(s.id(), PromptRequest.text("go"));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            DiffPage seen = new DiffPage(java.util.List.of(), false);
            while (System.nanoTime() < deadline && seen.files().size() < 2) {
                seen = h.api.diff(s.id(), DiffQuery.of(DiffScope.TURN));
                Thread.sleep(50);
            }
            assertThat(seen.files()).extracting(FileDiff::path).containsExactly("a.txt", "live.txt");
            assertThat(h.api.status(s.id())).isNotInstanceOf(SessionStatus.Idle.class);
            h.awaitIdle(s.id());
            assertThat(h.api.diff(s.id(), DiffQuery.of(DiffScope.TURN)).files()).extracting(FileDiff::path).containsExactly("a.txt", "live.txt");
        }
    }

    @Test
    void aFileNameWithAnEscapeAndANewlineIsRecordedAsItIs() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            var s = h.session();
            h.llm.then(step(call(0, "c1", "bash", "{\"command\":\"printf x > evil$'\\\\033'[31mred$'\\\\n'line.txt\"}")));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.api.prompt(s.id(), PromptRequest.text("go"));
            // the redirection to a name bash computes asks: answered once
            var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());
            String name = "evil\u001b[31mred\nline.txt";
            assertThat(h.project.resolve(name)).exists();
            assertThat(h.api.diff(s.id(), DiffQuery.of(DiffScope.TURN)).files()).extracting(FileDiff::path).containsExactly(name);
            // the step's record names the file itself: undo removes it
            h.api.undo(s.id());
            assertThat(h.project.resolve(name)).doesNotExist();
        }
    }

    @Test
    void gitScopesDiffTheWorktreeSessionsOwnFolder() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            Files.writeString(h.project.resolve("a.txt"), "main\n");
            git(h.project, "init", "-q", "-b", "main");
            git(h.project, "add", "-A");
            commit(h.project, "one");
            Session s = h.api.createSession(CreateSessionRequest.in(h.project.toString()).inNewWorktree(Optional.of("alpha")));
            Path tree = Path.of(s.directory());

            // committed on the worktree's branch, and then a change left uncommitted, and a file git does not track
            Files.writeString(tree.resolve("a.txt"), "branch\n");
            commit(tree, "-a", "two");
            Files.writeString(tree.resolve("b.txt"), "uncommitted\n");
            git(tree, "add", "b.txt");
            commit(tree, "three");
            Files.writeString(tree.resolve("b.txt"), "uncommitted\nmore\n");
            Files.writeString(tree.resolve("new.txt"), "untracked\n");
            // a link out of the project in the worktree: its change is the link, never what it points at
            Path outside = Files.createDirectories(tmp.resolve("outside"));
            Files.writeString(outside.resolve("secret.txt"), "canary-outside\n");
            Files.createSymbolicLink(tree.resolve("z-link"), outside.resolve("secret.txt"));
            // the main checkout moves on: the branch diff is against the merge base, not main's tip
            Files.writeString(h.project.resolve("main-only.txt"), "later\n");
            git(h.project, "add", "-A");
            commit(h.project, "main moves");

            var uncommitted = h.api.diff(s.id(), DiffQuery.of(DiffScope.UNCOMMITTED)).files();
            assertThat(uncommitted).extracting(FileDiff::path).containsExactly("b.txt", "new.txt", "z-link");
            assertThat(uncommitted).allSatisfy(f -> assertThat(f.patch()).doesNotContain("canary-outside"));
            assertThat(uncommitted.get(0).additions()).isEqualTo(1);
            assertThat(uncommitted.get(1).status()).isEqualTo("added");
            assertThat(uncommitted.get(1).patch()).contains("+untracked");

            var branch = h.api.diff(s.id(), DiffQuery.of(DiffScope.BRANCH)).files();
            assertThat(branch).extracting(FileDiff::path).containsExactly("a.txt", "b.txt", "new.txt", "z-link");
            assertThat(branch.get(3).patch()).contains("new file mode 120000").doesNotContain("canary-outside");
            assertThat(branch.get(0).patch()).contains("-main").contains("+branch");
            assertThat(branch.get(1).status()).isEqualTo("added");

            // the main checkout's own session sees none of it
            var mainSession = h.session();
            assertThat(h.api.diff(mainSession.id(), DiffQuery.of(DiffScope.UNCOMMITTED)).files()).isEmpty();
        }
    }

    @Test
    void gitScopesNameBinariesCutHugeFilesAndNeverReadThroughALink() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            Path outside = Files.createDirectories(tmp.resolve("outside"));
            Files.writeString(outside.resolve("secret.txt"), "canary-outside\n");
            Files.writeString(h.project.resolve("tracked.txt"), "x\n");
            git(h.project, "init", "-q", "-b", "main");
            git(h.project, "add", "-A");
            commit(h.project, "one");
            Files.createSymbolicLink(h.project.resolve("out-file"), outside.resolve("secret.txt"));
            Files.createSymbolicLink(h.project.resolve("out-dir"), outside);
            // a tracked file swapped for a link out of the folder
            Files.delete(h.project.resolve("tracked.txt"));
            Files.createSymbolicLink(h.project.resolve("tracked.txt"), outside.resolve("secret.txt"));
            Files.write(h.project.resolve("blob.bin"), new byte[] {0, 1, 2, 0, 3});
            Files.writeString(h.project.resolve("huge.txt"), "line of text\n".repeat(100_000));
            Files.writeString(h.project.resolve("odd\nname\u001b[31m.txt"), "odd\n");
            var s = h.session();

            var files = h.api.diff(s.id(), DiffQuery.of(DiffScope.UNCOMMITTED)).files();
            assertThat(files).extracting(FileDiff::path)
                    .containsExactlyInAnyOrder("blob.bin", "huge.txt", "odd\nname\u001b[31m.txt", "out-dir", "out-file", "tracked.txt");
            assertThat(files).allSatisfy(f -> assertThat(f.patch()).doesNotContain("canary-outside"));
            FileDiff link = files.stream().filter(f -> f.path().equals("out-file")).findFirst().orElseThrow();
            assertThat(link.patch()).contains("new file mode 120000").contains("+" + outside.resolve("secret.txt"));
            FileDiff blob = files.stream().filter(f -> f.path().equals("blob.bin")).findFirst().orElseThrow();
            assertThat(blob.binary()).isTrue();
            assertThat(blob.patch()).isEmpty();
            FileDiff huge = files.stream().filter(f -> f.path().equals("huge.txt")).findFirst().orElseThrow();
            assertThat(huge.additions()).isEqualTo(100_000);
            assertThat(huge.truncated()).isTrue();
            assertThat(huge.patch().length()).isLessThanOrEqualTo(FileDiff.MAX_PATCH_CHARS);
            // git quotes the odd name in the patch's header: no raw escape byte there
            FileDiff odd = files.stream().filter(f -> f.path().startsWith("odd")).findFirst().orElseThrow();
            assertThat(odd.patch().lines().findFirst().orElseThrow()).doesNotContain("\u001b").contains("\\033");
        }
    }

    @Test
    void aFolderOutsideGitIsRefusedWithTheReason() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            var s = h.session();
            assertThatThrownBy(() -> h.api.diff(s.id(), DiffQuery.of(DiffScope.UNCOMMITTED))).isInstanceOf(LatheException.InvalidInput.class)
                    .hasMessageContaining("not in a git repository");
            assertThat(h.api.diff(s.id(), DiffQuery.of(DiffScope.TURN)).files()).isEmpty();
        }
    }

    private static void commit(Path dir, String... args) throws Exception {
        var command = new java.util.ArrayList<>(java.util.List.of("-c", "user.name=t", "-c", "user.email=t@lathe.invalid", "commit", "-q", "-m"));
        if (args.length == 2) command.add(5, args[0]);
        command.add(args[args.length - 1]);
        git(dir, command.toArray(String[]::new));
    }

    static void git(Path dir, String... args) throws Exception {
        var command = new java.util.ArrayList<>(java.util.List.of("git", "-C", dir.toString()));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new AssertionError("git " + String.join(" ", args) + ": " + out);
    }
}
