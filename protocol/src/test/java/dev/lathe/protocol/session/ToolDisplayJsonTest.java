package dev.lathe.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.wire.WireJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The typed display data on a tool part: its wire form, a round trip, and rows written before it existed. */
class ToolDisplayJsonTest {
    @Test
    void aCompletedCallCarriesItsDisplayBesideTheUnchangedMetadata() {
        var state = new ToolState.Completed(new RawJson("{\"command\":\"make\"}"), "done\nexit code: 2", "make", Map.of("exitCode", "2"), 1, 2,
                List.of(), Optional.of(ToolDisplay.CommandRun.exited("make", 2)));
        String json = WireJson.write(state);

        assertThat(json).contains("\"status\":\"completed\"").contains("\"metadata\":{\"exitCode\":\"2\"}")
                .contains("\"display\":{\"type\":\"command_run\",\"command\":\"make\",\"ending\":\"exited\",\"exitCode\":2}");
        assertThat(WireJson.read(json, ToolState.class)).isEqualTo(state);
    }

    @Test
    void everyDisplayRecordSurvivesARoundTrip() {
        List<ToolDisplay> all = List.of(new ToolDisplay.FileChange(List.of("a.txt"), "--- a/a.txt\n+++ b/a.txt\n"),
                new ToolDisplay.CommandRun("sleep 9", ToolDisplay.CommandRun.Ending.TIMED_OUT, Optional.empty()),
                new ToolDisplay.SubagentRun("explore", "Find it", ToolDisplay.SubagentRun.Continuation.CONTINUED, "found"),
                new ToolDisplay.FileRead("src/A.java"), new ToolDisplay.WebPage("https://example.com", "text/html"));
        for (ToolDisplay d : all) assertThat(WireJson.read(WireJson.write(d), ToolDisplay.class)).isEqualTo(d);
    }

    @Test
    void aPartWrittenBeforeDisplaysExistedReadsWithoutOne() {
        var completed = WireJson.read("{\"status\":\"completed\",\"input\":{},\"output\":\"x\",\"title\":\"t\",\"metadata\":{},\"startedAt\":1,"
                + "\"endedAt\":2}", ToolState.class);
        var running = WireJson.read("{\"status\":\"running\",\"input\":{},\"title\":\"t\",\"startedAt\":1,\"output\":\"\"}", ToolState.class);
        var failed = WireJson.read("{\"status\":\"failed\",\"input\":{},\"error\":\"e\",\"startedAt\":1,\"endedAt\":2}", ToolState.class);

        assertThat(List.of(completed, running, failed)).allSatisfy(s -> assertThat(s.display()).isEmpty());
        assertThat(WireJson.write(running)).doesNotContain("display");
    }

    @Test
    void aDisplayTypeThisReaderDoesNotKnowReadsAsNoDisplay() {
        String state = "{\"status\":\"completed\",\"input\":{},\"output\":\"x\",\"title\":\"t\",\"metadata\":{\"k\":\"v\"},\"startedAt\":1,"
                + "\"endedAt\":2,\"display\":{\"type\":\"future_kind\",\"frames\":[{\"x\":1}],\"note\":\"n\"}}";

        var read = (ToolState.Completed) WireJson.read(state, ToolState.class);
        assertThat(read.display()).isEmpty();
        assertThat(read.output()).isEqualTo("x");
        assertThat(read.metadata()).isEqualTo(Map.of("k", "v"));

        String event = "{\"type\":\"message.part.updated\",\"part\":{\"type\":\"tool\",\"id\":\"prt_1\",\"sessionId\":\"ses_1\",\"messageId\":\"msg_1\","
                + "\"callId\":\"c1\",\"tool\":\"paint\",\"state\":" + state + "}}";
        var updated = (dev.lathe.protocol.event.Event.PartUpdated) WireJson.read(event, dev.lathe.protocol.event.Event.class);
        var tool = (Part.Tool) updated.part();
        assertThat(tool.tool()).isEqualTo("paint");
        assertThat(tool.state().display()).isEmpty();
        assertThat(((ToolState.Completed) tool.state()).output()).isEqualTo("x");
    }

    @Test
    void aKnownDisplayTypeWithAnEndingThisReaderDoesNotKnowStillFailsLoudly() {
        // only an unknown record is tolerated; a known record with a bad value is a malformed part
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WireJson.read(
                "{\"type\":\"command_run\",\"command\":\"make\",\"ending\":\"EXITED\"}", ToolDisplay.class))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
