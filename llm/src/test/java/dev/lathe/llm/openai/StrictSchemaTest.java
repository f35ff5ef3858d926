package dev.lathe.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Fixtures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class StrictSchemaTest {
    private static JsonNode json(String s) { return Fixtures.JSON.readTree(s); }

    @Test
    void optionalPropertiesBecomeRequiredAndNullableAndObjectsClosed() {
        JsonNode strict = StrictSchema.of(json("""
                {"type":"object","properties":{
                  "command":{"type":"string","minLength":1},
                  "timeout":{"type":"integer","minimum":1,"default":120},
                  "mode":{"type":"string","enum":["a","b"]},
                  "edits":{"type":"array","items":{"type":"object","properties":{"old":{"type":"string"},"new":{"type":"string"}},"required":["old"]}}},
                 "required":["command"],"$schema":"http://json-schema.org/draft-07/schema#"}""")).orElseThrow();

        assertThat(strict.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(strict.path("required")).extracting(JsonNode::asString).containsExactly("command", "timeout", "mode", "edits");
        assertThat(strict.path("properties").path("command")).isEqualTo(json("{\"type\":\"string\"}"));
        assertThat(strict.path("properties").path("timeout")).isEqualTo(json("{\"type\":[\"integer\",\"null\"]}"));
        assertThat(strict.path("properties").path("mode").path("enum")).isEqualTo(json("[\"a\",\"b\",null]"));
        JsonNode item = strict.path("properties").path("edits").path("items");
        assertThat(item.path("required")).extracting(JsonNode::asString).containsExactly("old", "new");
        assertThat(item.path("properties").path("new").path("type")).isEqualTo(json("[\"string\",\"null\"]"));
        assertThat(item.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(strict.has("$schema")).isFalse();
    }

    @Test
    void schemasStrictModeCannotExpressAreLeftAlone() {
        assertThat(StrictSchema.of(json("{\"type\":\"object\",\"properties\":{\"env\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}}}"))).isEmpty();
        assertThat(StrictSchema.of(json("{\"type\":\"object\",\"properties\":{\"x\":{}}}"))).isEmpty();
        assertThat(StrictSchema.of(json("{\"anyOf\":[{\"type\":\"string\"}]}"))).isEmpty();
    }
}
