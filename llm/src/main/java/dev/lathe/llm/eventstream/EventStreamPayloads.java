package dev.lathe.llm.eventstream;

import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A message as the one-line JSON payload that stream decoders take: {@code {"<eventType>": <payload>}}. Modelled
 * exceptions become {@code {"<exceptionType>": <payload>}} and protocol errors {@code {"<errorCode>": {"message": ...}}},
 * so the decoder sees them as named events and maps them to errors. The payload is spliced in unparsed: a payload that
 * is not JSON makes the line malformed, which the decoder reports.
 */
public final class EventStreamPayloads {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EventStreamPayloads() {}

    /** The line for {@code message}; empty for a message that names no event (nothing to decode). */
    public static Optional<String> asJsonLine(EventStreamMessage message) {
        String kind = message.text(":message-type").orElse("event");
        if (kind.equals("error")) {
            ObjectNode line = JSON.createObjectNode();
            line.putObject(message.text(":error-code").orElse("unknownError")).put("message", message.text(":error-message").orElse(""));
            return Optional.of(line.toString());
        }
        Optional<String> type = kind.equals("exception") ? message.text(":exception-type") : message.text(":event-type");
        if (type.isEmpty() || type.get().isEmpty()) return Optional.empty();
        String payload = message.payloadText();
        return Optional.of("{" + JSON.writeValueAsString(type.get()) + ":" + (payload.isBlank() ? "{}" : payload) + "}");
    }
}
