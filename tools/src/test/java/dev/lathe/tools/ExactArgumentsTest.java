package dev.lathe.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.wire.RecordJson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tool arguments bound straight from the parser ({@link RecordJson#arguments}, issue 70) are the records the mapper's
 * tree makes, for every built-in tool and every argument given, absent or null; and arguments it does not bind exactly
 * (wrong types, unknown names, a null inside, huge or deeply nested values, not JSON) are refused in the very words the
 * tree's way says, which {@code ArgumentErrorWordsTest} holds to the model's terms.
 */
class ExactArgumentsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyToolsArgumentsAreBoundAsTheMapperBindsThem() {
        int exact = 0;
        for (Tool<?> tool : ToolRegistry.builtins().all()) {
            for (String args : goodArguments(tool)) {
                Record tree = ToolExecutor.throughTree(tool, args, ToolExecutor.required(tool));
                assertThat((Object) ToolExecutor.parse(tool, args)).as(tool.name() + " " + args).isEqualTo(tree);
                try {
                    assertThat((Object) RecordJson.arguments(args, tool.argsType(), ToolExecutor.required(tool))).as(args).isEqualTo(tree);
                    exact++;
                } catch (RecordJson.NotExact e) {
                    // a shape left to the mapper (an enum, an alias): parse read it through the tree, compared above
                }
            }
        }
        // most calls take the parser's way, or the change pays nothing: the read tool's among them
        assertThat(exact).isGreaterThan(150);
        Tool<?> read = ToolRegistry.builtins().find("read").orElseThrow();
        assertThat((Object) RecordJson.arguments("{\"path\":\"a.txt\",\"offset\":null,\"limit\":20}", read.argsType(), ToolExecutor.required(read)))
                .isEqualTo(ToolExecutor.throughTree(read, "{\"path\":\"a.txt\",\"limit\":20}", ToolExecutor.required(read)));
    }

    @Test
    void whatIsNotBoundExactlyIsRefusedInTheTreesWords() {
        Tool<?> read = ToolRegistry.builtins().find("read").orElseThrow();
        Tool<?> todo = ToolRegistry.builtins().find("todo").orElseThrow();
        String huge = "x\\u00fc".repeat(2_000_000);
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        List<String> bad = List.of("{\"path\": 7}", "{\"path\": true}", "{\"path\": [\"a\"]}", "{\"path\": {\"a\": 1}}", "{\"path\":\"a\",\"offset\":\"x\"}",
                "{\"path\":\"a\",\"offset\":1.5}", "{\"path\":\"a\",\"offset\":99999999999}", "{\"path\":\"a\",\"offset\":[1]}",
                "{\"path\":\"a\",\"nope\":1}", "{\"path\":\"a\",\"path\":\"b\"}", "{\"path\":\"a\"} {\"path\":\"b\"}", "{\"offset\":1}",
                "{\"path\":null}", "{\"path\":\"" + huge + "\", \"offset\": \"1\"}", "{\"path\":" + deep + "}", "{\"path\":\"a\",\"offset\":" + deep + "}",
                "{\"path\":\"a\",\"nope\":" + deep + "}", deep, "{\"path\":\"a\"", "[]", "\"a\"", "not json");
        for (String args : bad) {
            String label = args.length() > 80 ? args.substring(0, 80) + "…" : args;
            assertThatThrownBy(() -> RecordJson.arguments(args, read.argsType(), ToolExecutor.required(read))).as(label).isInstanceOf(RecordJson.NotExact.class);
            String words = refusal(() -> ToolExecutor.throughTree(read, args, ToolExecutor.required(read)));
            if (words == null) {
                // read by the mapper after all (it converts some values, takes the last of a repeated name): the same record either way
                assertThat((Object) ToolExecutor.parse(read, args)).as(label).isEqualTo(ToolExecutor.throughTree(read, args, ToolExecutor.required(read)));
            } else {
                assertThat(refusal(() -> ToolExecutor.parse(read, args))).as(label).isEqualTo(words).contains("read").hasSizeLessThan(2_000);
            }
        }
        // a huge string, where it fits: the same record both ways (the parser's limit on one string is the mapper's)
        String hugeArgs = "{\"path\":\"" + huge + "\",\"limit\":3}";
        assertThat((Object) RecordJson.arguments(hugeArgs, read.argsType(), ToolExecutor.required(read)))
                .isEqualTo(ToolExecutor.throughTree(read, hugeArgs, ToolExecutor.required(read)));
        // inside a list of records: a null, a wrong type, an unknown name, each named by its place
        for (String item : List.of("null", "{\"content\":\"a\",\"status\":7}", "{\"content\":\"a\",\"status\":\"pending\",\"extra\":1}")) {
            String args = "{\"todos\":[" + item + "]}";
            assertThatThrownBy(() -> RecordJson.arguments(args, todo.argsType(), ToolExecutor.required(todo))).as(args).isInstanceOf(RecordJson.NotExact.class);
            assertThat(refusal(() -> ToolExecutor.parse(todo, args))).as(args).isEqualTo(refusal(() -> ToolExecutor.throughTree(todo, args, ToolExecutor.required(todo))));
        }
        assertThat(refusal(() -> ToolExecutor.parse(read, "{\"path\":\"a\",\"nope\":1}"))).contains("'nope' is not an argument it takes");
        assertThat(refusal(() -> ToolExecutor.parse(read, "{\"offset\":1}"))).contains("Missing required argument(s) for read: path");
        assertThat(refusal(() -> ToolExecutor.parse(read, "{\"path\":\"a\",\"offset\":\"x\"}"))).contains("'offset'");
    }

    private static String refusal(Runnable parse) {
        try {
            parse.run();
            return null;
        } catch (ToolFailure e) {
            return e.getMessage();
        }
    }

    /** For each argument of the schema: given (several values of its type), absent and null; an array's items likewise. */
    private static List<String> goodArguments(Tool<?> tool) {
        JsonNode schema = JSON.readTree(tool.parametersSchema());
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        ObjectNode base = JSON.createObjectNode();
        for (var p : schema.path("properties").properties()) if (required.contains(p.getKey())) base.set(p.getKey(), values(p.getValue()).getFirst());
        List<String> out = new ArrayList<>(List.of(base.toString()));
        for (var p : schema.path("properties").properties()) {
            for (JsonNode value : values(p.getValue())) out.add(base.deepCopy().set(p.getKey(), value).toString());
            if (!required.contains(p.getKey())) out.add(base.deepCopy().putNull(p.getKey()).toString());
        }
        return out;
    }

    private static List<JsonNode> values(JsonNode property) {
        var f = JSON.getNodeFactory();
        if (property.path("enum").isArray()) return List.of(property.path("enum").get(0));
        return switch (property.path("type").asString("")) {
            case "integer" -> List.of(f.numberNode(0), f.numberNode(7), f.numberNode(-3));
            case "number" -> List.of(f.numberNode(2), f.numberNode(2.5));
            case "boolean" -> List.of(f.booleanNode(true), f.booleanNode(false));
            case "array" -> {
                var empty = JSON.createArrayNode();
                var one = JSON.createArrayNode();
                JsonNode items = property.path("items");
                if (items.path("type").asString("").equals("object")) {
                    ObjectNode item = JSON.createObjectNode();
                    for (var ip : items.path("properties").properties()) item.set(ip.getKey(), values(ip.getValue()).getFirst());
                    one.add(item);
                } else {
                    one.add(values(items).getFirst());
                }
                yield List.of(one, empty);
            }
            default -> List.of(f.stringNode("a.txt"), f.stringNode(""), f.stringNode("ü \"q\" \\ 😀\n\u001b[31m"), f.stringNode("y".repeat(200_000)));
        };
    }
}
