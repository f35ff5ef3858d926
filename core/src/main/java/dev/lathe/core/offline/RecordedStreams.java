package dev.lathe.core.offline;

import dev.lathe.llm.Codec;
import dev.lathe.llm.Codecs;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.debug.DebugJson;
import dev.lathe.llm.debug.MergedResponse;
import dev.lathe.llm.debug.RecordedStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code lathe debug decode}: a recorded provider stream (raw SSE text, or one JSON event per line) run through a wire
 * protocol's decoder, as JSON lines in DESIGN §18's shapes.
 */
public final class RecordedStreams {
    /** One line per normalised event, or one merged object per response. */
    public enum Form { EVENTS, MERGED }

    private RecordedStreams() {}

    /** The wire protocols a stream can be decoded with, sorted. */
    public static List<String> protocols() { return Codecs.ids(); }

    /** The JSON lines for {@code text}; empty when {@code protocol} is not one of {@link #protocols()}. */
    public static Optional<List<String>> decode(String protocol, String text, Form form) {
        Optional<Codec> codec = Codecs.find(protocol);
        if (codec.isEmpty()) return Optional.empty();
        List<String> lines = new ArrayList<>();
        for (List<LlmEvent> events : RecordedStream.decode(codec.get(), RecordedStream.payloads(text))) {
            switch (form) {
                case MERGED -> lines.add(DebugJson.merged(MergedResponse.of(events)));
                case EVENTS -> events.forEach(e -> lines.add(DebugJson.event(e)));
            }
        }
        return Optional.of(lines);
    }
}
