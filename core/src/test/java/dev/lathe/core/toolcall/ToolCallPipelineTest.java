package dev.lathe.core.toolcall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import dev.lathe.tools.builtin.ProcessCap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every seam of the pipeline on real tools (bash in a real process, files in a temp folder): each is called in the
 * documented order and can act — a pre-call hook blocks or rewrites, the gate asks for a tool that does not check
 * itself, a post-call hook adds context, diagnostics are appended for changed files, the audit sees every call with
 * its verdict, the process launcher wraps the command line.
 */
class ToolCallPipelineTest {
    @TempDir Path tmp;

    final List<String> trace = new CopyOnWriteArrayList<>();
    final List<AuditRecord> audited = new CopyOnWriteArrayList<>();

    /** Writes nothing, says it wrote its {@code path}: a tool the pipeline must gate by its declared path argument. */
    final class Probe implements Tool<Probe.Args> {
        /** {@code n} only makes the arguments a nested value, for the loop guard's canonical form. */
        record Args(String path, Optional<List<Integer>> n) {}

        @Override public String name() { return "probe"; }

        @Override public String description() { return "probe"; }

        @Override public String parametersSchema() {
            return "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}";
        }

        @Override public Class<Args> argsType() { return Args.class; }

        @Override public Set<Effect> effects() { return Set.of(Effect.WRITES_FILES); }

        @Override public PermissionSource permission() { return PermissionSource.path("path"); }

        @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

        @Override public Optional<ToolDisplay> announce(Args args) { return Optional.of(new ToolDisplay.FileRead(args.path())); }

        @Override
        public ToolResult run(Args args, ToolContext ctx) {
            trace.add("run " + args.path());
            if (args.path().equals("broken")) throw new ExceptionInInitializerError("a class the tool needs could not start");
            return ToolResult.of("probed " + args.path(), "probed").withChangedFiles(List.of(args.path()));
        }
    }

    ToolContext ctx(Permissions permissions) {
        return ToolContext.builder(tmp, permissions).session("ses_p").call("call_p").output(tmp.resolve("out")).build();
    }

    Permissions tracing(Permissions inner) {
        return check -> {
            trace.add("permission " + check.permission() + " " + String.join(",", check.patterns()));
            inner.require(check);
        };
    }

    final PartRecorder parts = new PartRecorder() {
        @Override public void validated(String argsJson, Optional<ToolDisplay> announced) {
            trace.add("validated " + argsJson + " " + announced.map(Object::toString).orElse("-"));
        }

        @Override public void completed(ToolResult result) { trace.add("stored completed"); }

        @Override public void failed(String error) { trace.add("stored failed: " + error); }
    };

    ToolCallSeams seams() {
        return ToolCallSeams.DEFAULT
                .withPreCall((call, tool) -> {
                    trace.add("pre " + tool.name());
                    return new PreCallHook.Decision.Proceed(call.argsJson());
                })
                .withPostCall((call, tool, result) -> {
                    trace.add("post " + tool.name());
                    return PostCallHook.Added.NOTHING;
                })
                .withDiagnostics((files, ctx) -> {
                    trace.add("diagnostics " + files);
                    return "";
                })
                .withAudit(entry -> {
                    trace.add("audit " + entry.verdict());
                    audited.add(entry);
                });
    }

    ToolCallPipeline pipeline(ToolCallSeams seams) {
        return new ToolCallPipeline(ToolRegistry.builtins().plus(List.of(new Probe())), seams);
    }

    @Test
    void everyStepRunsInTheDocumentedOrder() {
        var result = pipeline(seams()).run(ToolCall.of("probe", "{\"path\":\"src/A.java\"}", ctx(tracing(Permissions.ALLOW_ALL)), Origin.MODEL), parts);

        assertThat(result.output()).isEqualTo("probed");
        assertThat(trace).containsExactly("pre probe", "validated {\"path\":\"src/A.java\"} FileRead[path=src/A.java]", "permission probe src/A.java", "run src/A.java",
                "post probe", "diagnostics [src/A.java]", "audit COMPLETED", "stored completed");
    }

    @Test
    void theModelsThirdSameCallInARowAsksDoomLoopBeforeTheGateAcrossDerivedPipelines() {
        var server = pipeline(seams());
        // each step runs its calls through a pipeline derived from the server's: they count together
        server.run(ToolCall.of("probe", "{\"path\":\"x\",\"n\":[1,2]}", ctx(tracing(Permissions.ALLOW_ALL)), Origin.MODEL), parts);
        server.withPostCallHook(PostCallHook.PASS).run(ToolCall.of("probe", "{\"n\":[1,2],\"path\":\"x\"}", ctx(tracing(Permissions.ALLOW_ALL)), Origin.MODEL), parts);
        assertThat(trace).noneMatch(t -> t.startsWith("permission doom_loop"));
        trace.clear();

        server.withPostCallHook(PostCallHook.PASS).run(ToolCall.of("probe", "{\"path\": \"x\", \"n\": [1, 2]}", ctx(tracing(Permissions.ALLOW_ALL)), Origin.MODEL), parts);

        assertThat(trace).containsSubsequence("validated {\"path\": \"x\", \"n\": [1, 2]} FileRead[path=x]", "permission doom_loop probe", "permission probe x", "run x");
        assertThat(server.loopGuard().remembered()).isOne();
        server.loopGuard().forget("ses_p");
        assertThat(server.loopGuard().remembered()).isZero();
    }

    @Test
    void theUsersOwnCallsAndArraysInAnotherOrderAreNoRepeat() {
        var server = pipeline(seams());
        for (int i = 0; i < 3; i++) server.run(ToolCall.of("probe", "{\"path\":\"x\"}", ctx(tracing(Permissions.ALLOW_ALL)), Origin.USER_SHELL), parts);
        server.run(ToolCall.of("probe", "{\"path\":\"x\",\"n\":[1,2]}", ctx(tracing(Permissions.ALLOW_ALL)), Origin.MODEL), parts);
        server.run(ToolCall.of("probe", "{\"path\":\"x\",\"n\":[2,1]}", ctx(tracing(Permissions.ALLOW_ALL)), Origin.MODEL), parts);
        server.run(ToolCall.of("probe", "{\"path\":\"x\",\"n\":[2,1]}", ctx(tracing(Permissions.ALLOW_ALL)), Origin.MODEL), parts);

        assertThat(trace).noneMatch(t -> t.startsWith("permission doom_loop"));
    }

    @Test
    void theGateAsksForAToolThatDoesNotCheckItselfAndNeverAgainForOneThatDoes() throws Exception {
        Permissions denyProbe = check -> {
            if (check.permission().equals("probe")) throw new PermissionRejected("A permission rule denies probe");
        };
        assertThatThrownBy(() -> pipeline(seams()).run(ToolCall.of("probe", "{\"path\":\"x\"}", ctx(tracing(denyProbe)), Origin.MODEL), parts))
                .isInstanceOf(PermissionRejected.class);
        assertThat(trace).doesNotContain("run x").contains("audit REJECTED").last().asString().startsWith("stored failed: A permission rule denies probe");

        trace.clear();
        Files.writeString(tmp.resolve("a.txt"), "x\n");
        pipeline(seams()).run(ToolCall.of("read", "{\"path\":\"a.txt\"}", ctx(tracing(Permissions.ALLOW_ALL)), Origin.MODEL), parts);
        // read checks itself: exactly its own question, none from the pipeline under its name
        assertThat(trace).filteredOn(t -> t.startsWith("permission")).containsExactly("permission read a.txt");
    }

    @Test
    void aPreCallHookBlocksACallOrRewritesItsArguments() {
        var blocking = seams().withPreCall((call, tool) -> tool.effects().contains(Effect.RUNS_PROCESSES)
                ? new PreCallHook.Decision.Block("commands are off in this test") : new PreCallHook.Decision.Proceed(call.argsJson()));
        assertThatThrownBy(() -> pipeline(blocking).run(ToolCall.of("bash", "{\"command\":\"touch ran.txt\"}", ctx(Permissions.ALLOW_ALL),
                Origin.MODEL), parts)).isInstanceOf(ToolFailure.class).hasMessage("commands are off in this test");
        assertThat(tmp.resolve("ran.txt")).doesNotExist();
        assertThat(audited).extracting(AuditRecord::verdict).containsExactly(AuditRecord.Verdict.BLOCKED);

        var rewriting = ToolCallSeams.DEFAULT.withPreCall((call, _) -> new PreCallHook.Decision.Proceed(call.argsJson().replace("one", "two")));
        var result = pipeline(rewriting).run(ToolCall.of("bash", "{\"command\":\"echo one\"}", ctx(Permissions.ALLOW_ALL), Origin.MODEL), parts);
        assertThat(result.output()).startsWith("two\n");
        assertThat(result.display()).contains(ToolDisplay.CommandRun.exited("echo two", 0));
    }

    @Test
    void aPostCallHookAddsContext() {
        var seams = ToolCallSeams.DEFAULT.withPostCall((call, tool, result) -> PostCallHook.Added.context("<reminder>" + call.origin() + "</reminder>"));
        var result = pipeline(seams).run(ToolCall.of("bash", "{\"command\":\"echo hi\"}", ctx(Permissions.ALLOW_ALL), Origin.USER_SHELL), parts);
        assertThat(result.output()).endsWith("exit code: 0\n\n<reminder>USER_SHELL</reminder>");
    }

    @Test
    void whatPostCallHooksAndDiagnosticsAddSurvivesTheTruncationOfTheToolsOwnOutput() {
        var seams = ToolCallSeams.DEFAULT
                .withPostCall((_, _, _) -> new PostCallHook.Added("<reminder>kept whole</reminder>", java.util.Map.of("hook", "yes")))
                .withDiagnostics((files, _) -> "<diagnostics file=\"" + files.getFirst() + "\">ERROR</diagnostics>");
        String longLine = "x".repeat(200);
        String content = java.util.stream.IntStream.range(0, 3000).mapToObj(i -> longLine + i).collect(java.util.stream.Collectors.joining("\\n"));
        var result = pipeline(seams).run(ToolCall.of("bash", "{\"command\":\"for i in $(seq 1 3000); do echo " + longLine + "$i; done\"}",
                ctx(Permissions.ALLOW_ALL), Origin.MODEL), parts);
        assertThat(result.output()).startsWith("(Output truncated:").endsWith("exit code: 0\n\n\n<reminder>kept whole</reminder>");
        assertThat(result.metadata()).containsEntry("hook", "yes");

        var written = pipeline(seams).run(ToolCall.of("write", "{\"path\":\"big.txt\",\"content\":\"" + content + "\"}", ctx(Permissions.ALLOW_ALL),
                Origin.MODEL), parts);
        assertThat(written.output()).endsWith("\n\n<reminder>kept whole</reminder>\n\n<diagnostics file=\"big.txt\">ERROR</diagnostics>");
    }

    @Test
    void aCommandLineCheckedByThePipelineIsSplitIntoItsCommandsWhateverItsRuleKey() {
        // gated by the real PermissionGate in ToolCallPathsTest; here the check must say what its patterns are
        List<dev.lathe.tools.PermissionCheck> asked = new CopyOnWriteArrayList<>();
        var runner = new Tool<Probe.Args>() {
            @Override public String name() { return "mytool"; }
            @Override public String description() { return "runs a line"; }
            @Override public String parametersSchema() {
                return "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}";
            }
            @Override public Class<Probe.Args> argsType() { return Probe.Args.class; }
            @Override public Set<Effect> effects() { return Set.of(Effect.RUNS_PROCESSES); }
            @Override public PermissionSource permission() { return PermissionSource.command("path"); }
            @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }
            @Override public ToolResult run(Probe.Args args, ToolContext ctx) { return ToolResult.of("ran", "ran"); }
        };
        new ToolCallPipeline(ToolRegistry.builtins().plus(List.of(runner)), ToolCallSeams.DEFAULT)
                .run(ToolCall.of("mytool", "{\"path\":\"git status; rm -rf x\"}", ctx(asked::add), Origin.MODEL), parts);
        assertThat(asked).singleElement().satisfies(c -> {
            assertThat(c.permission()).isEqualTo("mytool");
            assertThat(c.subject()).isEqualTo(PermissionSource.Pattern.COMMAND);
            assertThat(c.patterns()).containsExactly("git status; rm -rf x");
        });
    }

    @Test
    void aPartStoreThatFailsOnCompletionIsAuditedOnceAndNeverStoredFailedAfterwards() {
        var failingStore = new PartRecorder() {
            @Override public void validated(String argsJson, Optional<ToolDisplay> announced) {}

            @Override public void completed(ToolResult result) {
                trace.add("stored completed");
                throw new IllegalStateException("database is locked");
            }

            @Override public void failed(String error) { trace.add("stored failed: " + error); }
        };
        assertThatThrownBy(() -> pipeline(seams()).run(ToolCall.of("bash", "{\"command\":\"true\"}", ctx(Permissions.ALLOW_ALL), Origin.MODEL),
                failingStore)).isInstanceOf(IllegalStateException.class);
        assertThat(audited).extracting(AuditRecord::verdict).containsExactly(AuditRecord.Verdict.COMPLETED);
        assertThat(trace).filteredOn(t -> t.startsWith("stored")).containsExactly("stored completed");
    }

    @Test
    void aPathWithANulCharacterIsAFailureTheModelCanFix() {
        for (String tool : List.of("read", "write", "probe")) {
            String args = tool.equals("write") ? "{\"path\":\"a\\u0000b.txt\",\"content\":\"x\"}" : "{\"path\":\"a\\u0000b.txt\"}";
            assertThatThrownBy(() -> pipeline(seams()).run(ToolCall.of(tool, args, ctx(Permissions.ALLOW_ALL), Origin.MODEL), parts))
                    .as(tool).isInstanceOf(ToolFailure.class).hasMessageContaining("Invalid path");
        }
        assertThat(audited).extracting(AuditRecord::verdict).doesNotContain(AuditRecord.Verdict.CRASHED);
    }

    /** An Error from a tool (a class that failed to start) fails its part and is audited as a crash, as an exception is. */
    @Test
    void aToolThatThrowsAnErrorFailsItsPartAndIsAuditedAsACrash() {
        assertThatThrownBy(() -> pipeline(seams()).run(ToolCall.of("probe", "{\"path\":\"broken\"}", ctx(Permissions.ALLOW_ALL), Origin.MODEL), parts))
                .isInstanceOf(ExceptionInInitializerError.class);
        assertThat(trace).contains("audit CRASHED").anyMatch(t -> t.startsWith("stored failed: Internal error in tool probe")
                && t.contains("a class the tool needs could not start"));
    }

    @Test
    void thePartIsToldTheArgumentsAPreCallHookRewroteTo() {
        var rewriting = ToolCallSeams.DEFAULT.withPreCall((call, _) -> new PreCallHook.Decision.Proceed(call.argsJson().replace("one", "two")));
        pipeline(rewriting).run(ToolCall.of("bash", "{\"command\":\"echo one\"}", ctx(Permissions.ALLOW_ALL), Origin.MODEL), parts);
        assertThat(trace).first().asString().startsWith("validated {\"command\":\"echo two\"} CommandRun");
    }

    @Test
    void diagnosticsAreAppendedForTheFilesACallChangedOnly() throws Exception {
        List<List<String>> asked = new CopyOnWriteArrayList<>();
        var seams = ToolCallSeams.DEFAULT.withDiagnostics((files, ctx) -> {
            asked.add(files);
            return "<diagnostics file=\"" + files.getFirst() + "\">\nERROR [1:1] expected a class\n</diagnostics>";
        });
        var written = pipeline(seams).run(ToolCall.of("write", "{\"path\":\"src/A.java\",\"content\":\"nope\\n\"}", ctx(Permissions.ALLOW_ALL),
                Origin.MODEL), parts);
        var read = pipeline(seams).run(ToolCall.of("read", "{\"path\":\"src/A.java\"}", ctx(Permissions.ALLOW_ALL), Origin.MODEL), parts);

        assertThat(written.output()).endsWith("lines).\n\n<diagnostics file=\"src/A.java\">\nERROR [1:1] expected a class\n</diagnostics>");
        assertThat(read.output()).doesNotContain("<diagnostics");
        assertThat(asked).containsExactly(List.of("src/A.java"));
    }

    @Test
    void theAuditRecordsEveryCallWithItsVerdict() {
        var pipeline = pipeline(seams());
        pipeline.run(ToolCall.of("bash", "{\"command\":\"true\"}", ctx(Permissions.ALLOW_ALL), Origin.COMMAND), parts);
        assertThatThrownBy(() -> pipeline.run(ToolCall.of("nosuch", "{}", ctx(Permissions.ALLOW_ALL), Origin.MODEL), parts))
                .isInstanceOf(ToolFailure.class);
        assertThatThrownBy(() -> pipeline.run(ToolCall.of("read", "{\"path\":\"missing.txt\"}", ctx(Permissions.ALLOW_ALL), Origin.MODEL), parts))
                .isInstanceOf(ToolFailure.class);
        assertThatThrownBy(() -> pipeline.run(new ToolCall("bash", "{\"command\":\"true\"}", ctx(Permissions.ALLOW_ALL), Origin.MODEL,
                Optional.of(Set.of("read"))), parts)).isInstanceOf(ToolFailure.class).hasMessageContaining("Available tools: read.");

        assertThat(audited).extracting(AuditRecord::tool, AuditRecord::origin, AuditRecord::verdict).containsExactly(
                org.assertj.core.groups.Tuple.tuple("bash", Origin.COMMAND, AuditRecord.Verdict.COMPLETED),
                org.assertj.core.groups.Tuple.tuple("nosuch", Origin.MODEL, AuditRecord.Verdict.INVALID),
                org.assertj.core.groups.Tuple.tuple("read", Origin.MODEL, AuditRecord.Verdict.FAILED),
                org.assertj.core.groups.Tuple.tuple("bash", Origin.MODEL, AuditRecord.Verdict.INVALID));
        assertThat(audited).allSatisfy(a -> assertThat(a.callId()).isEqualTo("call_p"));
        assertThat(audited.get(2).detail()).contains("missing.txt");
    }

    @Test
    void theProcessLauncherWrapsTheCommandLineOfEveryProcessACallStarts() {
        List<List<String>> launched = new CopyOnWriteArrayList<>();
        var seams = ToolCallSeams.DEFAULT.withLauncher(command -> {
            command.command().addAll(0, List.of("env", "LATHE_SANDBOX_PROBE=wrapped"));
            launched.add(List.copyOf(command.command()));
            return command.start();
        });
        var result = pipeline(seams).run(ToolCall.of("bash", "{\"command\":\"echo sandbox=$LATHE_SANDBOX_PROBE\"}", ctx(Permissions.ALLOW_ALL),
                Origin.MODEL), parts);

        assertThat(result.output()).startsWith("sandbox=wrapped\n");
        // the launcher wraps the whole line, the process cap's gate included (the gate stays outside any sandbox)
        assertThat(launched).singleElement().satisfies(c -> {
            assertThat(c).startsWith("env", "LATHE_SANDBOX_PROBE=wrapped");
            assertThat(ProcessCap.withoutGate(c.subList(2, c.size()))).startsWith("setsid", "bash");
        });
        // the default launches directly
        var direct = pipeline(ToolCallSeams.DEFAULT).run(ToolCall.of("bash", "{\"command\":\"echo sandbox=$LATHE_SANDBOX_PROBE\"}",
                ctx(Permissions.ALLOW_ALL), Origin.MODEL), parts);
        assertThat(direct.output()).startsWith("sandbox=\n");
    }

    @Test
    void outputIsTruncatedAtTheEndTheToolDeclares() {
        var result = pipeline(ToolCallSeams.DEFAULT).run(ToolCall.of("bash", "{\"command\":\"seq 1 3000\"}", ctx(Permissions.ALLOW_ALL),
                Origin.MODEL), parts);
        // bash declares TAIL: the end survives, the start is cut
        assertThat(result.output()).startsWith("(Output truncated:").contains("\n3000\n").doesNotContain("\n1\n");
    }
}
