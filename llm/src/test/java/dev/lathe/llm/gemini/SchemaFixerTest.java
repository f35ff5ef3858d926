package dev.lathe.llm.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Fixtures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SchemaFixerTest {
    private static JsonNode json(String s) { return Fixtures.JSON.readTree(s); }

    private static JsonNode fix(String schema) { return SchemaFixer.fix(json(schema)); }

    @Test
    void keepsWhatGeminiKnowsAndDropsTheRest() {
        JsonNode fixed = fix("""
                {"$schema":"http://json-schema.org/draft-07/schema#","$id":"x","type":"object","additionalProperties":false,
                 "properties":{
                   "path":{"type":"string","description":"file to read","minLength":1,"examples":["a.txt"],"default":"."},
                   "limit":{"type":"integer","minimum":1,"maximum":2000,"exclusiveMaximum":2001,"multipleOf":1},
                   "env":{"type":"object","propertyNames":{"pattern":"^[A-Z]+$"},"additionalProperties":{"type":"string"}}},
                 "required":["path"]}""");
        assertThat(fixed).isEqualTo(json("""
                {"type":"OBJECT","properties":{
                   "path":{"type":"STRING","description":"file to read","minLength":1},
                   "limit":{"type":"INTEGER","minimum":1,"maximum":2000},
                   "env":{"type":"OBJECT"}},
                 "required":["path"]}"""));
    }

    @Test
    void typeListsWithNullBecomeNullableAndSeveralTypesAUnion() {
        assertThat(fix("{\"type\":[\"string\",\"null\"],\"description\":\"d\"}")).isEqualTo(json("{\"type\":\"STRING\",\"description\":\"d\",\"nullable\":true}"));
        assertThat(fix("{\"type\":[\"string\",\"integer\"]}")).isEqualTo(json("{\"anyOf\":[{\"type\":\"STRING\"},{\"type\":\"INTEGER\"}]}"));
        assertThat(fix("{\"type\":[\"object\",\"null\"],\"properties\":{\"a\":{\"type\":\"string\"}}}"))
                .isEqualTo(json("{\"type\":\"OBJECT\",\"properties\":{\"a\":{\"type\":\"STRING\"}},\"nullable\":true}"));
    }

    @Test
    void unionsWithNullCollapseAndOneOfBecomesAnyOf() {
        assertThat(fix("{\"description\":\"when\",\"anyOf\":[{\"type\":\"string\",\"format\":\"date-time\"},{\"type\":\"null\"}]}"))
                .isEqualTo(json("{\"type\":\"STRING\",\"format\":\"date-time\",\"description\":\"when\",\"nullable\":true}"));
        assertThat(fix("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"array\",\"items\":{\"type\":\"string\"}}]}"))
                .isEqualTo(json("{\"anyOf\":[{\"type\":\"STRING\"},{\"type\":\"ARRAY\",\"items\":{\"type\":\"STRING\"}}]}"));
    }

    @Test
    void referencesAreInlinedAndCyclesCut() {
        JsonNode fixed = fix("""
                {"type":"object","properties":{"edit":{"$ref":"#/$defs/Edit","description":"one edit"},"tree":{"$ref":"#/definitions/Node"}},
                 "$defs":{"Edit":{"type":"object","properties":{"old":{"type":"string"},"new":{"type":"string"}},"required":["old","new"]}},
                 "definitions":{"Node":{"type":"object","properties":{"name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#/definitions/Node"}}}}}}""");
        assertThat(fixed.path("properties").path("edit")).isEqualTo(json("""
                {"type":"OBJECT","description":"one edit","properties":{"old":{"type":"STRING"},"new":{"type":"STRING"}},"required":["old","new"]}"""));
        // the recursion stops at the second level: Gemini has no references
        JsonNode children = fixed.path("properties").path("tree").path("properties").path("children");
        assertThat(children).isEqualTo(json("{\"type\":\"ARRAY\",\"items\":{\"type\":\"STRING\"}}"));
        assertThat(fixed.has("$defs")).isFalse();
        assertThat(fixed.has("definitions")).isFalse();
        assertThat(fixed.toString()).doesNotContain("$ref");
    }

    @Test
    void constAndEnumsBecomeStringEnums() {
        assertThat(fix("{\"const\":\"fixed\"}")).isEqualTo(json("{\"type\":\"STRING\",\"enum\":[\"fixed\"]}"));
        assertThat(fix("{\"type\":\"string\",\"enum\":[\"a\",\"b\",null]}")).isEqualTo(json("{\"type\":\"STRING\",\"enum\":[\"a\",\"b\"],\"nullable\":true}"));
        // a number enum keeps its type, so the arguments stay numbers; the values move into the description
        assertThat(fix("{\"type\":\"integer\",\"enum\":[1,2,3],\"description\":\"Level.\"}"))
                .isEqualTo(json("{\"type\":\"INTEGER\",\"description\":\"Level. Allowed values: 1, 2, 3.\"}"));
        assertThat(fix("{\"enum\":[1,2]}")).isEqualTo(json("{\"type\":\"INTEGER\",\"description\":\"Allowed values: 1, 2.\"}"));
        // mixed values on a string type are written as strings
        assertThat(fix("{\"type\":\"string\",\"enum\":[\"a\",1]}")).isEqualTo(json("{\"type\":\"STRING\",\"enum\":[\"a\",\"1\"]}"));
    }

    @Test
    void formatsOnlyWhereGeminiSupportsThem() {
        assertThat(fix("{\"type\":\"string\",\"format\":\"uri\"}")).isEqualTo(json("{\"type\":\"STRING\"}"));
        assertThat(fix("{\"type\":\"string\",\"format\":\"date-time\"}")).isEqualTo(json("{\"type\":\"STRING\",\"format\":\"date-time\"}"));
        assertThat(fix("{\"type\":\"integer\",\"format\":\"int64\"}")).isEqualTo(json("{\"type\":\"INTEGER\",\"format\":\"int64\"}"));
        assertThat(fix("{\"type\":\"number\",\"format\":\"int64\"}")).isEqualTo(json("{\"type\":\"NUMBER\"}"));
    }

    @Test
    void arraysAlwaysHaveItems() {
        assertThat(fix("{\"type\":\"array\"}")).isEqualTo(json("{\"type\":\"ARRAY\",\"items\":{\"type\":\"STRING\"}}"));
        assertThat(fix("{\"type\":\"array\",\"prefixItems\":[{\"type\":\"integer\"},{\"type\":\"integer\"}],\"minItems\":2,\"maxItems\":2}"))
                .isEqualTo(json("{\"type\":\"ARRAY\",\"items\":{\"type\":\"INTEGER\"},\"minItems\":2,\"maxItems\":2}"));
        assertThat(fix("{\"type\":\"array\",\"items\":[{\"type\":\"string\"},{\"type\":\"number\"}]}"))
                .isEqualTo(json("{\"type\":\"ARRAY\",\"items\":{\"anyOf\":[{\"type\":\"STRING\"},{\"type\":\"NUMBER\"}]}}"));
        assertThat(fix("{\"items\":{\"type\":\"boolean\"}}")).isEqualTo(json("{\"type\":\"ARRAY\",\"items\":{\"type\":\"BOOLEAN\"}}"));
    }

    @Test
    void objectKeywordsOnlyOnObjectsAndRequiredOnlyForExistingProperties() {
        assertThat(fix("{\"type\":\"string\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"],\"items\":{\"type\":\"string\"}}"))
                .isEqualTo(json("{\"type\":\"STRING\"}"));
        assertThat(fix("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\",\"ghost\"]}"))
                .isEqualTo(json("{\"type\":\"OBJECT\",\"properties\":{\"a\":{\"type\":\"STRING\"}},\"required\":[\"a\"]}"));
        assertThat(fix("{\"type\":\"object\",\"properties\":{},\"required\":[\"ghost\"]}")).isEqualTo(json("{\"type\":\"OBJECT\"}"));
        assertThat(fix("{\"properties\":{\"a\":{}}}")).isEqualTo(json("{\"type\":\"OBJECT\",\"properties\":{\"a\":{\"type\":\"STRING\"}}}"));
    }

    @Test
    void allOfIsMerged() {
        assertThat(fix("""
                {"allOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
                          {"properties":{"b":{"type":"integer"}},"required":["b"]}]}"""))
                .isEqualTo(json("{\"type\":\"OBJECT\",\"properties\":{\"a\":{\"type\":\"STRING\"},\"b\":{\"type\":\"INTEGER\"}},\"required\":[\"a\",\"b\"]}"));
    }

    @Test
    void aToolWithoutArgumentsHasNoParameters() {
        assertThat(SchemaFixer.parameters(json("{\"type\":\"object\",\"properties\":{}}"))).isEmpty();
        assertThat(SchemaFixer.parameters(json("{\"type\":\"object\"}"))).isEmpty();
        assertThat(SchemaFixer.parameters(json("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}"))).isPresent();
    }

    @Test
    void theInputIsNotChanged() {
        JsonNode input = json("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":[\"string\",\"null\"]}},\"additionalProperties\":false}");
        JsonNode copy = input.deepCopy();
        SchemaFixer.fix(input);
        assertThat(input).isEqualTo(copy);
    }
}
