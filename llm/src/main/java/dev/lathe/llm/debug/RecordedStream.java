package dev.lathe.llm.debug;

import dev.lathe.llm.Codec;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StreamDecoder;
import dev.lathe.llm.sse.SseParser;
import java.util.ArrayList;
import java.util.List;

/**
 * A recorded stream split into its responses and decoded. Accepts raw SSE text (any line starting with
 * {@code data:} or {@code event:}) or one JSON event per line. A recording may hold several responses back to back:
 * a payload after a response's terminal event, or one the decoder says can only start a response, begins the next.
 */
public final class RecordedStream {
    private RecordedStream() {}

    /** The payloads of a recording in order: SSE {@code data:} texts, or its non-blank lines. */
    public static List<String> payloads(String text) {
        List<String> lines = text.lines().toList();
        boolean sse = lines.stream().anyMatch(l -> l.startsWith("data:") || l.startsWith("event:"));
        if (!sse) return lines.stream().filter(l -> !l.isBlank()).toList();
        var parser = new SseParser();
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r?\n", -1)) parser.line(line).ifPresent(e -> out.add(e.data()));
        parser.finish().ifPresent(e -> out.add(e.data()));
        return out;
    }

    /** Each response's events, every list ending with exactly one {@code Finished}. */
    public static List<List<LlmEvent>> decode(Codec codec, List<String> payloads) {
        List<List<LlmEvent>> responses = new ArrayList<>();
        StreamDecoder decoder = codec.streamDecoder();
        List<LlmEvent> current = new ArrayList<>();
        for (String data : payloads) {
            if (!current.isEmpty() && (decoder.isDone() || decoder.startsAnotherResponse(data))) {
                current.addAll(decoder.end());
                responses.add(current);
                decoder = codec.streamDecoder();
                current = new ArrayList<>();
            }
            if (decoder.isDone()) continue;
            current.addAll(decoder.decode(data));
        }
        if (!payloads.isEmpty()) {
            current.addAll(decoder.end());
            responses.add(current);
        }
        return responses;
    }
}
