package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lathe.llm.Protocols;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom markdown commands end to end: the real core against the fake model over HTTP, real files, real bash, the
 * permission engine. What the model receives is checked on the wire.
 */
class CustomCommandsTest {
    @TempDir Path tmp;

    private static String config(FakeLlm llm, String permission) {
        return "{\"model\": \"fake/m\", \"permission\": " + permission + ", \"provider\": {\"fake\": {\"protocol\": \"anthropic-messages\", \"baseUrl\": \""
                + llm.baseUrl() + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}";
    }

    /** A harness whose project folder is trusted, so its commands' shell commands run. */
    private static Harness harness(Path tmp, FakeLlm llm, String permission) throws Exception {
        return untrusted(tmp, llm, permission).trustProject();
    }

    private static Harness untrusted(Path tmp, FakeLlm llm, String permission) throws Exception {
        return new Harness(tmp, config(llm, permission), 10, Protocols.standard(HttpClient.newHttpClient()));
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static LatheException refused(ThrowingCallable call) {
        LatheException e = catchThrowableOfType(LatheException.class, call);
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    @Test
    void aCommandWithArgumentsAndAFileIncludeSendsTheExpandedTextAndTheFile() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{}")) {
            write(h.project.resolve(".lathe/commands/critique.md"), """
                    ---
                    description: Review a file with a focus
                    ---
                    Review @src/Parser.java, focusing on $2 (asked for: $ARGUMENTS).
                    Keep @Override annotations; mail me@example.com.
                    """);
            write(h.project.resolve("src/Parser.java"), "class Parser { int speedMarker = 42; }\n");
            llm.enqueue(Turn.of(Step.text("Reviewed.")));
            var s = h.session();

            CommandResult result = h.api.command(s.id(), new CommandRequest("critique", "Parser.java speed"));
            h.awaitIdle(s.id());

            assertThat(result.name()).isEqualTo("critique");
            assertThat(result.messageId()).isPresent();
            assertThat(llm.requests()).hasSize(1);
            String sent = expansion(llm.requests().getFirst());
            assertThat(sent).startsWith("""
                    Review @src/Parser.java, focusing on speed (asked for: Parser.java speed).
                    Keep @Override annotations; mail me@example.com.

                    <file path="src/Parser.java">
                    """);
            assertThat(sent).contains("     1\tclass Parser { int speedMarker = 42; }").contains("</file>");
            // stored as the user's message, like a typed prompt: the user's words are what they typed (issue 82), the
            // expansion is Lathe's own text beside them, which the model reads and no client shows as theirs
            var first = h.api.messages(s.id()).getFirst();
            assertThat(first.info()).isInstanceOf(UserMessage.class);
            assertThat(first.info().id()).isEqualTo(result.messageId().get());
            assertThat(llm.requests().getFirst().lastUserText()).startsWith("/critique Parser.java speed\n").contains("Review @src/Parser.java");
            assertThat(first.parts()).filteredOn(p -> p instanceof dev.lathe.protocol.session.Part.Text t && !t.synthetic())
                    .extracting(p -> ((dev.lathe.protocol.session.Part.Text) p).text()).containsExactly("/critique Parser.java speed");
            assertThat(h.api.commands(h.project.toString())).contains(
                    new CommandInfo("critique", "Review a file with a focus", h.project.toRealPath().resolve(".lathe/commands/critique.md").toString()));
        }
    }

    @Test
    void aProjectsOwnReviewCommandKeepsTheNameAndTheBuiltinIsLatheReview() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{}")) {
            write(h.project.resolve(".lathe/commands/review.md"), "---\ndescription: Our review checklist\n---\nCheck $ARGUMENTS against CHECKLIST.md.\n");
            llm.enqueue(Turn.of(Step.text("Checked.")));
            var s = h.session();

            var listed = h.api.commands(h.project.toString());
            assertThat(listed).filteredOn(c -> c.name().equals("review")).singleElement()
                    .satisfies(c -> assertThat(c.description()).isEqualTo("Our review checklist"));
            assertThat(listed).filteredOn(c -> c.name().equals("lathe:review")).singleElement()
                    .satisfies(c -> assertThat(c.source()).isEqualTo("builtin"));
            h.api.command(s.id(), new CommandRequest("review", "the parser"));
            h.awaitIdle(s.id());
            assertThat(expansion(llm.requests().getFirst())).startsWith("Check the parser against CHECKLIST.md.");
            assertThat(h.api.session(s.id()).agent()).as("their command runs as the session's agent").isEqualTo("build");
            // the built-in under the name it keeps: not a git repository here, so it refuses in one line before any request
            assertThatThrownBy(() -> h.api.command(s.id(), new CommandRequest("lathe:review", ""))).isInstanceOf(LatheException.class)
                    .hasMessageContaining("git");
            assertThat(llm.requests()).hasSize(1);
        }
    }

    @Test
    void shellOutputIsInlinedWhenTheRulesAllowIt() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"bash\": {\"*\": \"ask\", \"echo *\": \"allow\", \"ls *\": \"allow\"}}")) {
            write(h.project.resolve(".lathe/commands/status.md"), "Status: !`echo shell-says-$1`\nFailing: !`ls no-such-file`\nDone.");
            llm.enqueue(Turn.of(Step.text("ok")));
            h.trustProject(); // a command written after trust is approved like any new item
            var s = h.session();

            h.api.command(s.id(), new CommandRequest("status", "hi"));
            h.awaitIdle(s.id());

            // a failing command's output ends with its exit code; a succeeding one's is inlined as it is
            assertThat(expansion(llm.requests().getFirst())).startsWith("Status: shell-says-hi\nFailing: ").contains("no-such-file")
                    .contains("exit code: 2\nDone.");
            assertThat(h.events).noneMatch(e -> e.event() instanceof Event.PermissionAsked);
        }
    }

    @Test
    void anUntrustedFoldersCommandIsSentWithoutRunningItsShellCommandsUntilTheFolderIsTrusted() throws Exception {
        try (var llm = FakeLlm.start(); var h = untrusted(tmp, llm, "{\"bash\": \"allow\", \"edit\": \"allow\"}")) {
            write(h.project.resolve(".lathe/commands/stamp.md"), "Stamped: !`touch ran.txt && echo stamped-$1`\nGo on.");
            Path ran = h.project.resolve("ran.txt");
            var s = h.session();
            assertThat(h.api.trust(h.project.toString()).skipped()).singleElement().satisfies(skipped -> {
                assertThat(skipped.kind()).isEqualTo("command-shell");
                assertThat(skipped.source()).isEqualTo(".lathe/commands");
                assertThat(skipped.items()).containsExactly("/stamp");
                assertThat(skipped.message()).isEqualTo("skipped 1 !`cmd` shell command in a custom command from .lathe/commands"
                        + " (run lathe trust to allow it)");
            });

            llm.enqueue(Turn.of(Step.text("ok")));
            h.api.command(s.id(), new CommandRequest("stamp", "one"));
            h.awaitIdle(s.id());
            assertThat(ran).doesNotExist();
            assertThat(expansion(llm.requests().getLast())).startsWith("Stamped: [!`touch ran.txt && echo stamped-one` was not run:"
                    + " this folder is not trusted (run lathe trust to allow its commands' shell commands)]\nGo on.");

            // trusted from the next command on, with no restart
            h.trustProject();
            assertThat(h.api.trust(h.project.toString())).satisfies(t -> {
                assertThat(t.trusted()).isTrue();
                assertThat(t.skipped()).isEmpty();
            });
            llm.enqueue(Turn.of(Step.text("ok")));
            h.api.command(s.id(), new CommandRequest("stamp", "two"));
            h.awaitIdle(s.id());
            assertThat(ran).exists();
            assertThat(expansion(llm.requests().getLast())).startsWith("Stamped: stamped-two\nGo on.");

            // revoked: back to the first state
            Files.delete(ran);
            h.revokeProject();
            llm.enqueue(Turn.of(Step.text("ok")));
            h.api.command(s.id(), new CommandRequest("stamp", "three"));
            h.awaitIdle(s.id());
            assertThat(ran).doesNotExist();
            assertThat(h.api.trust(h.project.toString()).trusted()).isFalse();
        }
    }

    /**
     * A subfolder's own commands (a nested project inside the trusted repository, a session opened there) are trust
     * items like the root's (issue 40): listed by {@code lathe trust --show}, pinned by {@code lathe trust}, run once
     * approved, and held back again once changed, until approved again.
     */
    @Test
    void aSubfoldersOwnCommandIsListedPinnedAndHeldBackOnceChanged() throws Exception {
        try (var llm = FakeLlm.start(); var h = untrusted(tmp, llm, "{\"bash\": \"allow\", \"edit\": \"allow\"}")) {
            new ProcessBuilder("git", "init", "-q", h.project.toString()).inheritIO().start().waitFor();
            Path sub = Files.createDirectories(h.project.resolve("pkg/sub"));
            Path command = sub.resolve(".lathe/commands/stamp.md");
            write(command, "Stamped: !`echo stamped-$1`\nGo on.");
            assertThat(h.api.trust(sub.toString()).pending()).as("the question lists it with what it runs")
                    .anySatisfy(p -> assertThat(p.line()).startsWith("pkg/sub/.lathe/commands ").contains("/stamp").contains("echo stamped-$1"));
            h.trustProject();
            assertThat(h.api.trust(sub.toString()).pending()).isEmpty();
            var s = h.session(sub);
            llm.enqueue(Turn.of(Step.text("ok")));
            h.api.command(s.id(), new CommandRequest("stamp", "one"));
            h.awaitIdle(s.id());
            assertThat(expansion(llm.requests().getLast())).as("approved, it runs").startsWith("Stamped: stamped-one\nGo on.");

            write(command, "Stamped: !`touch ran.txt && echo stamped-$1`\nGo on.");
            assertThat(h.api.trust(sub.toString()).pending()).singleElement().satisfies(p -> assertThat(p.line()).contains("/stamp").contains("touch ran.txt"));
            llm.enqueue(Turn.of(Step.text("ok")));
            h.api.command(s.id(), new CommandRequest("stamp", "two"));
            h.awaitIdle(s.id());
            assertThat(sub.resolve("ran.txt")).doesNotExist();
            assertThat(expansion(llm.requests().getLast())).startsWith("Stamped: [!`touch ran.txt && echo stamped-two` was not run:");

            h.trustProject();
            llm.enqueue(Turn.of(Step.text("ok")));
            h.api.command(s.id(), new CommandRequest("stamp", "three"));
            h.awaitIdle(s.id());
            assertThat(sub.resolve("ran.txt")).exists();
        }
    }

    /**
     * Trust pins what it approved (issue 40 1(b)): a trusted folder's command whose text runs shell and that changed after
     * trust (by the agent, a pull, an editor) runs none of its shell commands, is named as changed in the folder's trust
     * answer and its review, and runs again once the user approves the difference.
     */
    @Test
    void aCommandChangedAfterTrustRunsNoShellCommandUntilApproved() throws Exception {
        try (var llm = FakeLlm.start(); var h = untrusted(tmp, llm, "{\"bash\": \"allow\", \"edit\": \"allow\"}")) {
            Path command = h.project.resolve(".lathe/commands/stamp.md");
            write(command, "Stamped: !`echo stamped-$1`\nGo on.");
            h.trustProject();
            var s = h.session();
            llm.enqueue(Turn.of(Step.text("ok")));
            h.api.command(s.id(), new CommandRequest("stamp", "one"));
            h.awaitIdle(s.id());
            assertThat(expansion(llm.requests().getLast())).startsWith("Stamped: stamped-one\nGo on.");

            write(command, "Stamped: !`touch ran.txt && echo stamped-$1`\nGo on.");
            Path ran = h.project.resolve("ran.txt");
            assertThat(h.api.trust(h.project.toString()).skipped()).singleElement().satisfies(skipped -> {
                assertThat(skipped.kind()).isEqualTo("command-shell");
                assertThat(skipped.message()).isEqualTo("changed since trust: skipped 1 !`cmd` shell command in a custom command from .lathe/commands:"
                        + " /stamp (run lathe trust --show to review, lathe trust to allow it; it would: runs code)");
            });
            assertThat(h.api.trust(h.project.toString()).pending()).anySatisfy(p -> assertThat(p.line()).contains("/stamp").contains("touch ran.txt"));
            llm.enqueue(Turn.of(Step.text("ok")));
            h.api.command(s.id(), new CommandRequest("stamp", "two"));
            h.awaitIdle(s.id());
            assertThat(ran).doesNotExist();
            assertThat(expansion(llm.requests().getLast())).startsWith("Stamped: [!`touch ran.txt && echo stamped-two` was not run:"
                    + " this command changed since the folder was trusted (run lathe trust --show to review, lathe trust to allow it)]\nGo on.");

            h.trustProject();
            assertThat(h.api.trust(h.project.toString()).skipped()).isEmpty();
            llm.enqueue(Turn.of(Step.text("ok")));
            h.api.command(s.id(), new CommandRequest("stamp", "three"));
            h.awaitIdle(s.id());
            assertThat(ran).exists();
            assertThat(expansion(llm.requests().getLast())).startsWith("Stamped: stamped-three\nGo on.");
        }
    }

    @Test
    void aDeniedShellCommandRefusesTheCommandAndNothingIsSent() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"bash\": {\"*\": \"allow\", \"rm *\": \"deny\"}}")) {
            write(h.project.resolve(".lathe/commands/clean.md"), "Before: !`echo first`\nThen: !`rm -rf keep`\nTell me what happened.");
            Files.createDirectories(h.project.resolve("keep"));
            h.trustProject(); // a command written after trust is approved like any new item
            var s = h.session();

            LatheException e = refused(() -> h.api.command(s.id(), CommandRequest.of("clean")));

            assertThat(e).isInstanceOf(LatheException.Forbidden.class);
            assertThat(e.code()).isEqualTo("permission_denied");
            assertThat(e.getMessage()).startsWith("/clean was not sent: !`rm -rf keep` is not allowed.").contains("rm *");
            assertThat(h.project.resolve("keep")).isDirectory();
            assertThat(llm.requests()).isEmpty();
            assertThat(h.api.messages(s.id())).isEmpty();
            assertThat(h.api.status(s.id())).isInstanceOf(SessionStatus.Idle.class);
        }
    }

    @Test
    void anAskBlocksTheCommandUntilAClientAnswers() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"bash\": \"ask\"}")) {
            write(h.project.resolve(".lathe/commands/branch.md"), "Branch: !`echo on-main`");
            llm.enqueue(Turn.of(Step.text("ok")));
            h.trustProject(); // a command written after trust is approved like any new item
            var s = h.session();

            var running = CompletableFuture.supplyAsync(() -> h.api.command(s.id(), CommandRequest.of("branch")));
            var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            assertThat(asked.request().permission()).isEqualTo("bash");
            assertThat(asked.request().patterns()).containsExactly("echo on-main");
            assertThat(h.api.status(s.id())).isInstanceOf(SessionStatus.Waiting.class);
            assertThat(running).isNotDone();
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            assertThat(running.get(10, TimeUnit.SECONDS).messageId()).isPresent();
            h.awaitIdle(s.id());
            assertThat(expansion(llm.requests().getFirst())).startsWith("Branch: on-main");

            // a rejection refuses the command like a deny rule
            h.events.clear();
            var again = CompletableFuture.supplyAsync(() -> h.api.command(s.id(), CommandRequest.of("branch")));
            var second = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            h.api.replyPermission(second.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            var e = catchThrowableOfType(java.util.concurrent.ExecutionException.class, () -> again.get(10, TimeUnit.SECONDS));
            assertThat(e.getCause()).isInstanceOfSatisfying(LatheException.class, a -> assertThat(a).isInstanceOf(LatheException.Forbidden.class));
            assertThat(llm.requests()).hasSize(1);
        }
    }

    @Test
    void aClaudeCodeCommandFileWorksUnchanged() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"bash\": {\"*\": \"ask\", \"git status *\": \"allow\", \"git diff *\": \"allow\"}}")) {
            git(h.project, "init", "-q");
            write(h.project.resolve("notes.txt"), "untracked\n");
            write(h.project.resolve(".claude/commands/git/summary.md"), """
                    ---
                    allowed-tools: Bash(git status:*), Bash(git diff:*)
                    argument-hint: [focus] [style]
                    description: Summarise the working tree
                    model: claude-3-5-haiku-20241022
                    ---
                    ## Context

                    - Current git status: !`git status --short`
                    - Current diff: !`git diff --stat`

                    ## Your task

                    Summarise the changes, focusing on $ARGUMENTS.
                    """);
            llm.enqueue(Turn.of(Step.text("One untracked file.")));
            h.trustProject(); // a command written after trust is approved like any new item
            var s = h.session();

            assertThat(h.api.commands(h.project.toString())).extracting(CommandInfo::name, CommandInfo::description)
                    .contains(org.assertj.core.groups.Tuple.tuple("git:summary", "Summarise the working tree"));
            h.api.command(s.id(), new CommandRequest("git:summary", "new files"));
            h.awaitIdle(s.id());

            String sent = expansion(llm.requests().getFirst());
            assertThat(sent).contains("- Current git status: ?? .claude/\n?? notes.txt").contains("Summarise the changes, focusing on new files.")
                    .doesNotContain("!`");
            // Claude's model name says no provider: the session's model answered
            assertThat(llm.requests().getFirst().model()).isEqualTo("m");
        }
    }

    @Test
    void badIncludesBrokenFilesAndBuiltInNamesAreRefusedClearly() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{}")) {
            write(h.project.resolve(".lathe/commands/missing.md"), "Read @docs/nope.md please");
            write(h.project.resolve(".lathe/commands/outside.md"), "Read @../secret.txt please");
            write(h.project.resolve(".lathe/commands/broken.md"), "---\ndescription: \"Fix this\n---\nbody");
            write(h.project.resolve(".lathe/commands/undo.md"), "Not the real undo");
            write(tmp.resolve("secret.txt"), "top secret");
            var s = h.session();

            LatheException missing = refused(() -> h.api.command(s.id(), CommandRequest.of("missing")));
            assertThat(missing).isInstanceOf(LatheException.InvalidInput.class);
            assertThat(missing.getMessage()).startsWith("/missing was not sent: @docs/nope.md: File not found: docs/nope.md");
            LatheException outside = refused(() -> h.api.command(s.id(), CommandRequest.of("outside")));
            assertThat(outside).isInstanceOf(LatheException.InvalidInput.class);
            assertThat(outside.getMessage()).isEqualTo("/outside was not sent: @../secret.txt is outside the project; commands include project files only");
            LatheException broken = refused(() -> h.api.command(s.id(), CommandRequest.of("broken")));
            assertThat(broken).isInstanceOf(LatheException.InvalidConfig.class);
            assertThat(broken.getMessage()).contains("broken.md: line 2: the quoted value is not closed on its line");
            // the built-in undo answers, not the file: nothing to undo yet is a conflict, and no prompt was sent
            assertThat(refused(() -> h.api.command(s.id(), CommandRequest.of("undo")))).isInstanceOf(LatheException.Conflict.class);
            assertThat(h.api.commands(h.project.toString())).filteredOn(c -> c.name().equals("undo")).extracting(CommandInfo::source)
                    .containsExactly("builtin");
            assertThat(llm.requests()).isEmpty();
            assertThat(h.api.messages(s.id())).isEmpty();
        }
    }

    @Test
    void aCommandThatRunsShellCommandsWaitsUntilTheSessionIsIdle() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"bash\": \"allow\"}")) {
            write(h.project.resolve(".lathe/commands/now.md"), "Now: !`echo x`");
            write(h.project.resolve(".lathe/commands/plain.md"), "Just text $1");
            llm.enqueue(Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"sleep 2\"}")));
            llm.enqueue(Turn.of(Step.text("slept")));
            llm.enqueue(Turn.of(Step.text("plain answered")));
            h.trustProject(); // a command written after trust is approved like any new item
            var s = h.session();
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("sleep a bit"));
            assertThat(llm.awaitRequests(1, java.time.Duration.ofSeconds(10))).isTrue();

            assertThat(refused(() -> h.api.command(s.id(), CommandRequest.of("now")))).isInstanceOf(LatheException.Conflict.class);
            // a template with nothing to run is queued like a typed prompt
            assertThat(h.api.command(s.id(), new CommandRequest("plain", "queued")).messageId()).isPresent();
            h.awaitIdle(s.id());
            assertThat(llm.requests()).last().satisfies(r -> assertThat(r.lastUserText()).contains("Just text queued"));
        }
    }

    static void git(Path dir, String... args) throws Exception {
        var cmd = new java.util.ArrayList<String>(java.util.List.of("git", "-c", "user.name=t", "-c", "user.email=t@t"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
    }

    /**
     * What a custom command sent the model after the line the user typed ({@code /name args}, issue 82): the expansion,
     * as the model reads it.
     */
    static String expansion(dev.lathe.testkit.RecordedRequest request) {
        String text = request.lastUserText();
        assertThat(text).as("the user's own line comes first").startsWith("/");
        return text.substring(text.indexOf('\n') + 1).stripLeading();
    }
}
