package dev.lathe.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.toolcall.Origin;
import dev.lathe.core.toolcall.PartRecorder;
import dev.lathe.core.toolcall.ToolCall;
import dev.lathe.core.toolcall.ToolCallPipeline;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PreToolUse and PostToolUse on the real pipeline, with the real bash tool and real hook scripts. */
class ToolCallHooksTest {
    private static final HookSource CLAUDE = new HookSource(".claude/settings.json", HookSource.Dialect.CLAUDE_CODE);

    @TempDir Path project;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Hook> hooks = new ArrayList<>();

    @AfterEach
    void close() { http.close(); }

    private final PartRecorder parts = new PartRecorder() {
        @Override public void validated(String argsJson, Optional<ToolDisplay> announced) { }

        @Override public void completed(ToolResult result) { }

        @Override public void failed(String error) { }
    };

    private void hook(HookEvent event, String matcher, String script) throws IOException {
        Path file = project.resolve("hook" + hooks.size() + ".sh");
        Files.writeString(file, "#!/bin/bash\n" + script + "\n");
        file.toFile().setExecutable(true);
        hooks.add(new Hook(event, HookMatcher.parse(matcher), new HookHandler.Command(file.toString(), List.of(), HookHandler.Command.Form.SHELL,
                Duration.ofSeconds(20)), CLAUDE));
    }

    private ToolResult bash(String command, Permissions permissions, Origin origin) {
        return bash(command, permissions, origin, new Cancellation());
    }

    private ToolResult bash(String command, Permissions permissions, Origin origin, Cancellation cancellation) {
        var toolHooks = new ToolCallHooks(sessionId -> new ToolCallHooks.Found(hooks, Set.of(), line -> java.util.Optional.empty()), System.getenv(), http, HookRunLog.NONE);
        var pipeline = new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT.withPreCall(toolHooks).withPostCall(toolHooks));
        var ctx = ToolContext.builder(project, permissions).session("ses_h").call("call_h").cancellation(cancellation).output(project.resolve("out"))
                .build();
        return pipeline.run(ToolCall.of("bash", "{\"command\":\"" + command + "\"}", ctx, origin), parts);
    }

    @Test
    void abortingTheTurnKillsAPreToolUseHookAtOnceAndTheCallDoesNotRun() throws Exception {
        hook(HookEvent.PRE_TOOL_USE, "Bash", "echo $$ > \"" + project.resolve("hook.pid") + "\"; exec sleep 60");
        var cancellation = new Cancellation();
        var result = new java.util.concurrent.CompletableFuture<Object>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(bash("touch ran.txt", Permissions.ALLOW_ALL, Origin.MODEL, cancellation));
            } catch (RuntimeException e) {
                result.complete(e);
            }
        });
        Path pid = project.resolve("hook.pid");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.exists(pid) && !Files.readString(pid).isBlank()) && System.nanoTime() < deadline) Thread.sleep(20);
        long aborted = System.nanoTime();
        cancellation.cancel();
        result.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - aborted)).as("not the hook's 20 s timeout").isLessThan(Duration.ofSeconds(5));
        var process = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()));
        deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (process.map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(process.map(ProcessHandle::isAlive).orElse(false)).as("the hook's process was killed").isFalse();
        assertThat(project.resolve("ran.txt")).as("an aborted call does not run").doesNotExist();
    }

    @Test
    void aBlockedCallIsAnErrorTheModelReadsAndTheToolNeverRuns() throws IOException {
        hook(HookEvent.PRE_TOOL_USE, "Bash", "grep -q 'git push' && { echo 'pushing is for humans' >&2; exit 2; }; exit 0");

        assertThatThrownBy(() -> bash("git push > pushed.txt", Permissions.ALLOW_ALL, Origin.MODEL)).isInstanceOf(ToolFailure.class)
                .hasMessage("Blocked by a PreToolUse hook: pushing is for humans");
        assertThat(project.resolve("pushed.txt")).doesNotExist();
        assertThat(bash("echo fine", Permissions.ALLOW_ALL, Origin.MODEL).output()).contains("fine");
        assertThat(bash("git push > by-user.txt; echo ran", Permissions.ALLOW_ALL, Origin.USER_SHELL).output())
                .as("the user's own shell commands fire no tool hooks").contains("ran");
    }

    @Test
    void updatedInputRewritesTheCommandAndPostToolUseContextFollowsTheOutput() throws IOException {
        hook(HookEvent.PRE_TOOL_USE, "Bash",
                "echo '{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"allow\",\"updatedInput\":{\"command\":\"echo rewritten\"}}}'");
        hook(HookEvent.POST_TOOL_USE, "Bash", "echo '{\"hookSpecificOutput\":{\"hookEventName\":\"PostToolUse\",\"additionalContext\":\"remember the tests\"}}'");

        String output = bash("echo original", Permissions.ALLOW_ALL, Origin.MODEL).output();

        assertThat(output).contains("rewritten").doesNotContain("original").endsWith("remember the tests");
    }

    @Test
    void aCallLooksAtTheHooksOnceAndItsPostToolUseHooksAreTheOnesItsPreToolUseLookFound() throws IOException {
        hook(HookEvent.POST_TOOL_USE, "Bash", "echo '{\"hookSpecificOutput\":{\"hookEventName\":\"PostToolUse\",\"additionalContext\":\"first hook\"}}'");
        var looks = new java.util.concurrent.atomic.AtomicInteger();
        var toolHooks = new ToolCallHooks(sessionId -> {
            looks.incrementAndGet();
            return new ToolCallHooks.Found(hooks, Set.of(), line -> java.util.Optional.empty());
        }, System.getenv(), http, HookRunLog.NONE);
        var pipeline = new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT.withPreCall(toolHooks).withPostCall(toolHooks));
        java.util.function.Function<String, String> call = id -> pipeline.run(ToolCall.of("bash", "{\"command\":\"echo " + id + "\"}",
                ToolContext.builder(project, Permissions.ALLOW_ALL).session("ses_h").call(id).output(project.resolve("out")).build(), Origin.MODEL), parts)
                .output();

        assertThat(call.apply("call_1")).contains("call_1").endsWith("first hook");
        assertThat(looks).as("one look for the call's PreToolUse and PostToolUse").hasValue(1);

        hook(HookEvent.POST_TOOL_USE, "Bash", "echo '{\"hookSpecificOutput\":{\"hookEventName\":\"PostToolUse\",\"additionalContext\":\"second hook\"}}'");
        assertThat(call.apply("call_2")).as("a hook added since is found by the next call's look").contains("first hook").endsWith("second hook");
        assertThat(looks).hasValue(2);
    }

    @Test
    void aHooksAllowNeverOverridesADenyRule() throws IOException {
        hook(HookEvent.PRE_TOOL_USE, "*", "echo '{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"allow\"}}'");
        Permissions denyBash = check -> {
            throw new PermissionRejected("A permission rule denies bash");
        };
        assertThatThrownBy(() -> bash("touch made.txt", denyBash, Origin.MODEL)).isInstanceOf(PermissionRejected.class);
        assertThat(project.resolve("made.txt")).doesNotExist();
    }

    @Test
    void aBrokenHookIsReportedAndNeverBreaksTheCall() throws IOException {
        hook(HookEvent.PRE_TOOL_USE, "*", "echo '{not json'; exit 1");
        hook(HookEvent.POST_TOOL_USE, "*", "exit 7");
        assertThat(bash("echo still", Permissions.ALLOW_ALL, Origin.MODEL).output()).contains("still");
    }
}
