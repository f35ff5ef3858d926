package dev.lathe.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The config events survive the wire inside an envelope that has a {@code directory} of its own (the envelope's fields
 * and the event's share one JSON object, so an event field named {@code directory} would be lost).
 */
class ConfigEventWireTest {
    @Test
    void configEventsRoundTripInAnEnvelopeWithADirectory() {
        for (Event event : new Event[] {new Event.ConfigUpdated("/work/p"), new Event.ConfigErrored("/work/p", "/work/p/lathe.json:2: modle: unknown key")}) {
            var envelope = new EventEnvelope(7, 1000, Optional.of("/work/p"), event);
            String json = WireJson.writeEnvelope(envelope);
            assertThat(WireJson.readEnvelope(json)).isEqualTo(envelope);
            assertThat(json).contains("\"type\":\"config.");
        }
        assertThat(Event.sessionOf(new Event.ConfigErrored("/p", "m"))).isEmpty();
    }
}
