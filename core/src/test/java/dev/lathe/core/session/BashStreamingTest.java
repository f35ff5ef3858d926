package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live bash output reaches clients as running-state part updates while the command still runs. */
class BashStreamingTest {
    @TempDir Path tmp;

    @Test
    void outputArrivesAsRunningUpdatesBeforeTheCallCompletes() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": \"allow\"}", 10)) {
            h.llm.then(Stream.concat(Stream.of(call(0, "c1", "bash", "{\"command\":\"echo first; sleep 1; echo second\"}")),
                    Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new));
            h.llm.then(text("ok"), finish(StopReason.STOP));
            var s = h.session();
            h.promptAndWait(s.id(), "run");

            List<ToolState> states = h.events.stream().map(e -> e.event()).filter(Event.PartUpdated.class::isInstance)
                    .map(e -> ((Event.PartUpdated) e).part()).filter(Part.Tool.class::isInstance).map(p -> ((Part.Tool) p).state()).toList();
            int live = indexOf(states, st -> st instanceof ToolState.Running r && r.output().contains("first") && !r.output().contains("second"));
            int done = indexOf(states, st -> st instanceof ToolState.Completed);
            assertThat(live).as("a running update with partial output").isNotNegative();
            assertThat(done).isGreaterThan(live);
            assertThat(((ToolState.Completed) states.get(done)).output()).contains("first\nsecond\n");
        }
    }

    private static int indexOf(List<ToolState> states, java.util.function.Predicate<ToolState> p) {
        for (int i = 0; i < states.size(); i++) if (p.test(states.get(i))) return i;
        return -1;
    }
}
