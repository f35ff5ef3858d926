package dev.lathe.core.session;

import dev.lathe.llm.Codec;
import dev.lathe.llm.Codecs;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.TokenUsage;
import dev.lathe.llm.debug.RecordedStream;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The usage of each response in a recorded provider exchange (the fixtures bundled with the llm module's tests), decoded
 * by Lathe's own decoders: the figures a step of Lathe would store for those responses.
 */
final class RecordedUsage {
    static final Path FIXTURES = Path.of("../llm/src/test/resources/fixtures/providers");

    private RecordedUsage() {}

    /** One usage per response, in order; {@code file} relative to the protocol's folder. */
    static List<Usage> of(String protocol, String file) {
        Codec codec = Codecs.find(protocol).orElseThrow();
        String text = read(FIXTURES.resolve(protocol).resolve(file));
        List<List<LlmEvent>> responses = new ArrayList<>();
        if (file.endsWith(".cassette.json")) {
            for (JsonNode interaction : JsonMapper.builder().build().readTree(text).path("interactions")) {
                String body = interaction.path("response").path("body").asString();
                responses.addAll(decode(codec, body));
            }
        } else {
            responses.addAll(decode(codec, text));
        }
        List<Usage> out = new ArrayList<>();
        for (List<LlmEvent> events : responses) {
            TokenUsage u = events.stream().filter(LlmEvent.UsageReported.class::isInstance).map(e -> ((LlmEvent.UsageReported) e).usage())
                    .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no usage in a response of " + file));
            out.add(new Usage(u.input(), u.output(), u.reasoning(), u.cacheRead(), u.cacheWrite()));
        }
        return out;
    }

    private static List<List<LlmEvent>> decode(Codec codec, String body) {
        // a complete body is one JSON value; a stream is SSE or one JSON event per line
        return WireJson.isValidJson(body) ? List.of(codec.decodeBody(body)) : RecordedStream.decode(codec, RecordedStream.payloads(body));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
