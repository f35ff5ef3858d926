package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.wire.WireJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * {@code lathe config schema} (DESIGN §18 "Trust by construction"): the JSON Schema of {@code lathe.json}, every
 * property at every depth carrying {@code x-lathe-reach}, and where it reaches {@code x-lathe-untrusted} and
 * {@code x-lathe-pinned}; the keys this wave's attacks went through are classed as they reach.
 */
class ConfigSchemaCommandTest {
    @Test
    void everyPropertyAtEveryDepthSaysWhatItReaches() {
        var out = new StringWriter();
        int exit = new CommandLine(new ConfigCommand()).setOut(new PrintWriter(out)).execute("schema");
        assertThat(exit).isZero();
        JsonNode schema = WireJson.mapper().readTree(out.toString());
        assertThat(schema.path("$schema").asString()).startsWith("https://json-schema.org/");

        List<String> unannotated = new ArrayList<>();
        int[] count = {0};
        walk(schema, "", unannotated, count);
        assertThat(unannotated).isEmpty();
        assertThat(count[0]).isGreaterThan(150);

        JsonNode websearch = schema.path("properties").path("websearch");
        assertThat(websearch.path("x-lathe-reach").asString()).isEqualTo("sends-data");
        assertThat(websearch.path("x-lathe-untrusted").asString()).isEqualTo("withheld");
        assertThat(websearch.path("x-lathe-pinned").asBoolean()).isTrue();
        assertThat(websearch.path("properties").path("url").path("x-lathe-pinned").asBoolean()).isTrue();
        JsonNode folders = schema.path("properties").path("additionalDirectories").path("items");
        assertThat(folders.path("x-lathe-reach").toString()).contains("reads-outside", "writes-outside", "widens-permissions");
        assertThat(schema.path("properties").path("provider").path("additionalProperties").path("properties").path("baseUrl")
                .path("x-lathe-untrusted").asString()).isEqualTo("withheld");
        assertThat(schema.path("properties").path("theme").path("x-lathe-reach").asString()).isEqualTo("none");
        assertThat(schema.path("x-lathe-other-files").path(".claude/settings.json, .claude/settings.local.json")
                .path("permissions.additionalDirectories").path("x-lathe-pinned").asBoolean()).isTrue();
    }

    /** Collects the path of every property schema without {@code x-lathe-reach}, or reaching without the other two. */
    private static void walk(JsonNode node, String path, List<String> missing, int[] count) {
        for (String holder : List.of("properties")) {
            for (Map.Entry<String, JsonNode> p : node.path(holder).properties()) check(p.getValue(), path + "." + p.getKey(), missing, count);
        }
        if (node.path("additionalProperties").isObject()) check(node.get("additionalProperties"), path + ".*", missing, count);
        if (node.path("items").isObject()) check(node.get("items"), path + "[]", missing, count);
    }

    private static void check(JsonNode property, String path, List<String> missing, int[] count) {
        count[0]++;
        JsonNode reach = property.get("x-lathe-reach");
        if (reach == null) missing.add(path);
        else if (!reach.asString("").equals("none") && (!property.has("x-lathe-untrusted") || !property.has("x-lathe-pinned"))) missing.add(path + " (untrusted/pinned)");
        walk(property, path, missing, count);
    }
}
