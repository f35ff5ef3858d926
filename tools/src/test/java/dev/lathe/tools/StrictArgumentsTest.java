package dev.lathe.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.openai.StrictSchema;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every built-in tool works with OpenAI strict mode: its schema converts, and the null optionals a strict model sends bind. */
class StrictArgumentsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyBuiltinSchemaIsStrictCompatibleAndNullOptionalsBind() {
        for (Tool<?> tool : ToolRegistry.builtins().all()) {
            JsonNode schema = JSON.readTree(tool.parametersSchema());
            assertThat(StrictSchema.of(schema)).as(tool.name()).isPresent();
            var args = JSON.createObjectNode();
            Set<String> required = new HashSet<>();
            schema.path("required").forEach(r -> required.add(r.asString()));
            for (var p : schema.path("properties").properties()) {
                if (!required.contains(p.getKey())) args.putNull(p.getKey());
                else if (p.getValue().path("type").asString("").equals("string")) args.put(p.getKey(), "x");
                else if (p.getValue().path("type").asString("").equals("array")) args.putArray(p.getKey());
                else args.put(p.getKey(), 1);
            }
            assertThat(ToolExecutor.parse(tool, args.toString())).as(tool.name()).isNotNull();
        }
    }
}
