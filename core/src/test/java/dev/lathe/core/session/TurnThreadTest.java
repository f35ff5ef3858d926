package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.llm.StopReason;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prompt's turn reads the model's stream on a platform thread: on a virtual thread the socket read starts the JDK's
 * I/O pollers, threads parked in {@code epoll_wait} for the process's life, and the JVM's exit waits 300 ms for threads
 * in native code, so every one-shot {@code lathe run} ended 0.3 s late.
 */
class TurnThreadTest {
    @TempDir Path tmp;

    @Test
    void aPromptsTurnStreamsOnAPlatformDaemonThread() throws Exception {
        try (var h = new Harness(tmp, "", ToolRegistry.builtins(), ToolCallSeams.DEFAULT)) {
            var s = h.session();
            h.llm.then(text("hi"), ScriptedProtocol.finish(StopReason.STOP));
            h.promptAndWait(s.id(), "hello");
            assertThat(h.llm.threads).singleElement().satisfies(t -> {
                assertThat(t.isVirtual()).as("virtual").isFalse();
                assertThat(t.isDaemon()).as("a daemon: a turn never holds the process open").isTrue();
            });
        }
    }
    /** A subagent's turn too: the parent's tool call waits for it on a platform thread of the child's own. */
    @Test
    void aSubagentsTurnStreamsOnAPlatformDaemonThread() throws Exception {
        try (var h = new Harness(tmp, "", ToolRegistry.builtins(), ToolCallSeams.DEFAULT)) {
            var s = h.session();
            h.llm.then(java.util.stream.Stream.concat(java.util.Arrays.stream(ScriptedProtocol.call(0, "t1", "task",
                    "{\"description\":\"Look\",\"prompt\":\"Look at the code\",\"agent\":\"general\"}")),
                    java.util.stream.Stream.of(ScriptedProtocol.finish(StopReason.TOOL_CALLS))).toArray(dev.lathe.llm.LlmEvent[]::new));
            h.llm.then(text("CHILD-DONE"), ScriptedProtocol.finish(StopReason.STOP));
            h.llm.then(text("PARENT-DONE"), ScriptedProtocol.finish(StopReason.STOP));
            h.promptAndWait(s.id(), "delegate");
            assertThat(h.llm.threads).hasSize(3).allSatisfy(t -> {
                assertThat(t.isVirtual()).as(t.getName() + " virtual").isFalse();
                assertThat(t.isDaemon()).as(t.getName() + " a daemon").isTrue();
            });
            assertThat(h.llm.requests.get(2).messages().toString()).contains("CHILD-DONE");
        }
    }
}
