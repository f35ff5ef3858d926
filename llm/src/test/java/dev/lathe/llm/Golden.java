package dev.lathe.llm;

import dev.lathe.llm.debug.MergedResponse;
import dev.lathe.llm.debug.RecordedStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Decodes every response a fixture file holds with its protocol's {@link Codec}: streams (jsonl events, raw SSE,
 * cassette SSE bodies), complete JSON bodies, and HTTP error bodies (with the status the recording or its README names).
 */
public final class Golden {
    /** One response of a fixture; {@code status} is the HTTP status it came with. */
    public record Decoded(Kind kind, int status, MergedResponse merged) {}

    public enum Kind { STREAM, BODY, ERROR }

    private Golden() {}

    public static Codec codec(String protocol) {
        return Codecs.find(protocol).orElseThrow(() -> new AssertionError("no codec for protocol " + protocol));
    }

    public static List<Decoded> decode(Fixtures.Entry entry) {
        Codec codec = codec(entry.protocol());
        String text = Fixtures.read(entry.file());
        List<Decoded> out = new ArrayList<>();
        String format = entry.format();
        if (format.startsWith("jsonl-events") || format.startsWith("raw-sse")) {
            stream(codec, text, 200, out);
        } else if (format.equals("json-body")) {
            out.add(new Decoded(Kind.BODY, 200, MergedResponse.of(codec.decodeBody(text))));
        } else if (format.equals("json-error-body")) {
            error(codec, statusOf(Fixtures.JSON.readTree(text)), text, out);
        } else if (format.startsWith("vcr-cassette-json")) {
            for (JsonNode i : Fixtures.JSON.readTree(text).path("interactions")) {
                JsonNode response = i.path("response");
                int status = response.path("code").asInt(200);
                String body = response.path("body").asString("");
                if (status / 100 != 2) error(codec, status, body, out);
                else if (response.has("decoded_event_stream")) stream(codec, eventStreamAsLines(response.path("decoded_event_stream")), status, out);
                else if (isSse(body)) stream(codec, body, status, out);
                else out.add(new Decoded(Kind.BODY, status, MergedResponse.of(codec.decodeBody(body))));
            }
        } else {
            throw new AssertionError("unknown fixture format " + format);
        }
        return out;
    }

    /** An SSE body has lines that start with a field; a JSON body may merely mention "data:" inside a string. */
    private static boolean isSse(String body) {
        return body.lines().anyMatch(l -> l.startsWith("data:") || l.startsWith("event:"));
    }

    private static void stream(Codec codec, String text, int status, List<Decoded> out) {
        for (List<LlmEvent> events : RecordedStream.decode(codec, RecordedStream.payloads(text))) {
            out.add(new Decoded(Kind.STREAM, status, MergedResponse.of(events)));
        }
    }

    private static void error(Codec codec, int status, String body, List<Decoded> out) {
        LlmError error = codec.decodeError(status, body, Map.of());
        out.add(new Decoded(Kind.ERROR, status, MergedResponse.of(List.of(LlmEvent.Finished.failed(error)))));
    }

    /** Error bodies without a recorded status carry it themselves (google.rpc.Status) or are the README's 400s. */
    private static int statusOf(JsonNode body) {
        JsonNode error = body.isArray() ? body.path(0).path("error") : body.path("error");
        return error.path("code").isIntegralNumber() ? error.path("code").asInt() : 400;
    }

    /** A decoded AWS event-stream as the payload lines our decoders take: {@code {"<eventType>": payload}}. */
    private static String eventStreamAsLines(JsonNode frames) {
        var sb = new StringBuilder();
        for (JsonNode frame : frames) {
            String type = frame.path("headers").path(":event-type").asString(frame.path("headers").path(":exception-type").asString(""));
            JsonNode payload = frame.path("payload");
            var line = Fixtures.JSON.createObjectNode();
            line.set(type, payload.isString() ? Fixtures.JSON.readTree(payload.asString()) : payload);
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
