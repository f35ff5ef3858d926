package dev.lathe.llm.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CatalogIndexTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyProviderOfTheSnapshotIsFoundWhereAJsonParserFindsIt() throws IOException {
        byte[] json;
        try (InputStream in = Catalog.class.getResourceAsStream("/catalog/models.json")) {
            json = in.readAllBytes();
        }
        Map<String, CatalogIndex.Slice> index = CatalogIndex.of(json);
        JsonNode providers = JSON.readTree(json).get("providers");
        List<String> expected = new ArrayList<>(providers.propertyNames());
        assertThat(index.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        index.forEach((id, slice) -> assertThat(JSON.readTree(new String(json, slice.start(), slice.end() - slice.start(), StandardCharsets.UTF_8)))
                .as(id).isEqualTo(providers.get(id)));
    }

    @Test
    void bracesAndQuotesInsideStringsAndEscapedNamesDoNotConfuseTheScan() {
        String doc = "{ \"a\\\"b\" : {\"note\": \"} { ] [ \\\\\", \"list\": [1, {\"x\": \"]\"}], \"models\": {}},\n"
                + "\t\"n\": 1, \"s\": \"{\", \"t\": true, \"arr\": [{}],\r\n \"c\": {\"models\": {\"m\": {\"limit\": {\"context\": 5}}}} }";
        byte[] json = doc.getBytes(StandardCharsets.UTF_8);
        Map<String, CatalogIndex.Slice> index = CatalogIndex.of(json);
        assertThat(index).containsOnlyKeys("a\"b", "c");
        CatalogIndex.Slice c = index.get("c");
        assertThat(new String(json, c.start(), c.end() - c.start(), StandardCharsets.UTF_8)).isEqualTo("{\"models\": {\"m\": {\"limit\": {\"context\": 5}}}}");
        assertThat(CatalogReader.provider("c", json, c).orElseThrow().models().get("m").context()).isEqualTo(5);
    }

    @Test
    void truncatedOrMalformedDocumentsAreRefused() {
        for (String bad : List.of("", "[]", "{\"a\": {\"models\": {}}", "{\"a\": \"open}", "{\"a\" {}}", "{\"a\": {}, }", "{\"a\": {}} {}", "{\"a\": }")) {
            assertThatThrownBy(() -> CatalogIndex.of(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not a models.dev catalog");
        }
    }

    @Test
    void providersAreParsedOnlyWhenAskedForAndListingReadsThemAll() {
        String doc = "{\"good\": {\"npm\": \"@ai-sdk/openai\", \"models\": {\"m\": {}}}, \"broken\": {\"models\": {\"m\": {\"limit\": {\"context\": 1,}}}}}";
        Catalog catalog = Catalog.parse(new java.io.ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)));
        // the broken provider is never read to answer for the good one
        assertThat(catalog.provider("good").orElseThrow().npm()).isEqualTo("@ai-sdk/openai");
        assertThat(catalog.provider("ollama")).isPresent();
        assertThat(catalog.provider("absent")).isEmpty();
        assertThatThrownBy(catalog::providers).isInstanceOf(tools.jackson.core.JacksonException.class);
        assertThatThrownBy(() -> Catalog.parseFully(new java.io.ByteArrayInputStream("{\"x\": {\"no\": \"models\"}}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
