package dev.lathe.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.event.RunResult;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordWriter} writes every event and every result line byte for byte as the data-binding mapper does (the
 * {@code --format json} contract, DESIGN §18), and writes each itself: a sample that fell back to the mapper would put
 * its ~750 classes back on {@code lathe run --format json}'s way to the first request (issue 86), so the fallback is
 * not called here. Samples from {@link RecordJsonTest#samples}: every event record, each component varied through its
 * kinds (every subtype, enum constant, optional set and empty), strings with quotes, controls and non-ASCII.
 */
class RecordWriterTest {
    @Test
    void writesEveryEventAsTheMapperDoesWithoutIt() {
        List<Object> events = RecordJsonTest.samples(Event.class, 0);
        assertThat(events).hasSizeGreaterThan(80);
        var kinds = new HashSet<Class<?>>();
        for (Object event : events) {
            kinds.add(event.getClass());
            for (Optional<String> directory : List.of(Optional.<String>empty(), Optional.of("/home/ü/\"odd\" dir\u001b[31m"))) {
                var envelope = new EventEnvelope(42, 1_700_000_000_123L, directory, (Event) event);
                assertThat(RecordWriter.writtenEnvelope(envelope)).as(event.toString()).isEqualTo(WireJson.writeEnvelope(envelope));
            }
        }
        assertThat(kinds).hasSize(Event.class.getAnnotation(JsonSubTypes.class).value().length);
    }

    @Test
    void writesEveryResultLineAsTheMapperDoesWithoutIt() {
        List<Object> results = RecordJsonTest.samples(RunResult.class, 0);
        assertThat(results).hasSizeGreaterThan(10);
        for (Object result : results) {
            assertThat(RecordWriter.writtenResult((RunResult) result)).as(result.toString()).isEqualTo(WireJson.writeResult((RunResult) result));
        }
    }

    /** The shape of the goal loop's {@code check} line (GoalCheck): a plain record, an optional number. */
    private record CheckLine(String type, String command, int turn, int maxTurns, String ending, Optional<Integer> exitCode, boolean passed, String output) {}

    @Test
    void writesAPlainRecordAsTheMapperDoes() {
        for (var line : List.of(new CheckLine("check", "make \"test\"", 1, 3, "exited", Optional.of(2), false, "FAIL ü\u001b[31m\n"),
                new CheckLine("check", "true", 2, 3, "not_run", Optional.empty(), true, ""))) {
            assertThat(RecordWriter.written(line)).isEqualTo(WireJson.write(line));
        }
    }

    @Test
    void aTypeItDoesNotCoverIsTheMappersToWrite() {
        // a map with a null value: the mapper's content inclusion decides, so the line is the mapper's
        var odd = new java.util.HashMap<String, Object>();
        odd.put("k", null);
        assertThatThrownBy(() -> RecordWriter.written(odd)).isInstanceOf(RecordJson.Unsupported.class);
        assertThat(RecordWriter.written(List.of(1, "a", Optional.empty()))).isEqualTo(WireJson.write(List.of(1, "a", Optional.empty())));
    }
}
