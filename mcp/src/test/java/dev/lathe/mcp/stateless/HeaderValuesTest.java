package dev.lathe.mcp.stateless;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The revision's own examples of header values (Streamable HTTP, "Value Encoding"), and x-mcp-header mirroring. */
class HeaderValuesTest {
    @Test void encodesWhatIsNotPlainVisibleAscii() {
        assertThat(HeaderValues.encode("us-west1")).isEqualTo("us-west1");
        assertThat(HeaderValues.encode("Hello, 世界")).isEqualTo("=?base64?SGVsbG8sIOS4lueVjA==?=");
        assertThat(HeaderValues.encode(" padded ")).isEqualTo("=?base64?IHBhZGRlZCA=?=");
        assertThat(HeaderValues.encode("line1\nline2")).isEqualTo("=?base64?bGluZTEKbGluZTI=?=");
        assertThat(HeaderValues.encode("=?base64?literal?=")).isEqualTo("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
    }

    @Test void mirrorsAnnotatedPrimitivesReachedThroughPropertiesOnly() {
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of(
                "region", Map.of("type", "string", "x-mcp-header", "Region"),
                "limit", Map.of("type", "integer", "x-mcp-header", "Limit"),
                "options", Map.of("type", "object", "properties", Map.of("dry", Map.of("type", "boolean", "x-mcp-header", "Dry"))),
                "query", Map.of("type", "string")));
        assertThat(HeaderValues.mirrored(schema, Map.of("region", "us-west1", "limit", 42, "options", Map.of("dry", true), "query", "x")))
                .containsOnly(Map.entry("Mcp-Param-Region", "us-west1"), Map.entry("Mcp-Param-Limit", "42"), Map.entry("Mcp-Param-Dry", "true"));
        assertThat(HeaderValues.mirrored(schema, Map.of("query", "x"))).as("absent values send no header").isEmpty();
        assertThat(HeaderValues.mirrored(schema, Map.of("region", List.of("a")))).as("not a primitive").isEmpty();
    }
}
