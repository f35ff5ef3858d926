package dev.lathe.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.ClientEnvironment;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link FlatJson} writes a map of strings byte for byte as the data-binding mapper does. */
class FlatJsonTest {
    @Test
    void writesWhatTheMapperWritesForAnyText() {
        var strings = new TreeMap<String, String>(Map.of("LATHE_CONFIG_CONTENT", "{\"model\":\"p/m\",\n\t\"x\":\"\\\\ é 😀 \u0001 </script>\"}",
                "ANTHROPIC_API_KEY", "sk-ant-\u2028x", "B_TOKEN", ""));
        assertThat(FlatJson.write(strings)).isEqualTo(WireJson.write(strings));
        assertThat(FlatJson.write(new TreeMap<>())).isEqualTo(WireJson.write(new TreeMap<>())).isEqualTo("{}");
    }

    @Test
    void aClientsEnvironmentRoundTripsThroughItsHeader() {
        var environment = new ClientEnvironment(Map.of("LATHE_CONFIG_CONTENT", "{\"a\":\"ü\\\"\"}", "OPENAI_API_KEY", "sk-1"));
        assertThat(ClientEnvironment.decode(environment.encode())).isEqualTo(environment);
    }
}
