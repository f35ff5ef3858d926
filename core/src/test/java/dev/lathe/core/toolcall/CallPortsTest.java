package dev.lathe.core.toolcall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tools.Budget;
import dev.lathe.tools.EditorFiles;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ProcessLauncher;
import dev.lathe.tools.Questions;
import dev.lathe.tools.Skills;
import dev.lathe.tools.Subagents;
import dev.lathe.tools.Teammates;
import dev.lathe.tools.Todos;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolProgress;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import dev.lathe.llm.Cancellation;
import dev.lathe.tools.BackgroundCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call's ports come to the pipeline as the session built them, and the pipeline alone wraps them (decision 523): its
 * network port stands in front of its permissions, the time its checks held it is told to the part before it ends, and
 * the tool sees the files, guards and session tools the ports name. Real tools on real files.
 */
class CallPortsTest {
    @TempDir Path project;

    final List<String> trace = new CopyOnWriteArrayList<>();

    CallPorts ports(Permissions permissions, CallPorts.Network network) {
        return new CallPorts(new ToolContext.Folders(project, project.resolve("out")), new ToolContext.Guards(permissions, ProcessLauncher.DIRECT,
                Set.of("sk-secret-value")), network, new ToolContext.Session(Todos.inMemory(), Questions.UNAVAILABLE, Subagents.UNAVAILABLE,
                Skills.NONE, EditorFiles.NONE, Budget.NONE, BackgroundCommands.NONE, Teammates.UNAVAILABLE));
    }

    ToolCall call(CallPorts ports, String tool, String args) {
        return ports.call(tool, args, new ToolContext.Call("ses_p", "call_p", new Cancellation(), ToolProgress.NONE), Origin.MODEL, Optional.empty());
    }

    final class Recorder implements PartRecorder {
        volatile long held = -1;

        @Override public void validated(String argsJson, Optional<ToolDisplay> announced) {}

        @Override public void heldByAsks(long millis) { held = millis; }

        @Override public void completed(ToolResult result) { trace.add("completed, held " + (held >= 0)); }

        @Override public void failed(String error) { trace.add("failed, held " + (held >= 0) + ": " + error); }
    }

    @Test
    void theNetworkPortStandsInFrontOfThePermissionsAndCanRefuseBeforeAnyoneIsAsked() throws Exception {
        Files.writeString(project.resolve("a.txt"), "hello\n");
        Permissions asked = check -> trace.add("asked " + check.permission());
        CallPorts.Network refusing = (asks, tool) -> check -> {
            trace.add("network saw " + tool + " " + check.permission());
            if (check.permission().equals("read")) throw new ToolFailure("refused by the network port");
            asks.require(check);
        };
        var pipeline = new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT);
        var recorder = new Recorder();
        assertThatThrownBy(() -> pipeline.run(call(ports(asked, refusing), "read", "{\"path\":\"a.txt\"}"), recorder))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("refused by the network port");
        assertThat(trace).containsExactly("network saw read read", "failed, held true: refused by the network port");

        trace.clear();
        var read = pipeline.run(call(ports(asked, CallPorts.Network.OPEN), "read", "{\"path\":\"a.txt\"}"), new Recorder());
        assertThat(read.output()).contains("hello");
        assertThat(trace).containsExactly("asked read", "completed, held true");
    }

    @Test
    void theTimeAnAskHeldTheCallIsToldToThePartBeforeItEnds() throws Exception {
        Files.writeString(project.resolve("a.txt"), "hello\n");
        Permissions slowAsk = check -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        var recorder = new Recorder();
        new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT).run(call(ports(slowAsk, CallPorts.Network.OPEN), "read",
                "{\"path\":\"a.txt\"}"), recorder);
        assertThat(recorder.held).isGreaterThanOrEqualTo(300);

        var quick = new Recorder();
        new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT).run(call(ports(Permissions.ALLOW_ALL, CallPorts.Network.OPEN), "read",
                "{\"path\":\"a.txt\"}"), quick);
        assertThat(quick.held).isBetween(0L, 299L);
    }

    @Test
    void theToolRunsWithThePortsTheFactoryBuiltAndTheSecretsMaskedFromItsOutput() throws Exception {
        Files.writeString(project.resolve("key.txt"), "token sk-secret-value\n");
        var result = new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT).run(call(ports(Permissions.ALLOW_ALL, CallPorts.Network.OPEN),
                "read", "{\"path\":\"key.txt\"}"), new Recorder());
        assertThat(result.output()).contains("token").doesNotContain("sk-secret-value");
    }
}
