package dev.lathe.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A rule over every built-in tool (issue 53): arguments that do not fit are refused in the model's terms — what was
 * wrong and where — never with Jackson's words or a Java class ({@code Unrecognized property … class dev.lathe…}).
 * Each tool gets text that is not JSON, a non-object, an unknown argument, and each of its arguments with a value of
 * every wrong type (an array's items too).
 */
class ArgumentErrorWordsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> FORBIDDEN = List.of("dev.lathe", "com.fasterxml", "tools.jackson", "Exception", "class ", "java.");

    @Test
    void everyToolSaysWhatWasWrongWithoutNamingCode() {
        int tried = 0;
        for (Tool<?> tool : ToolRegistry.builtins().all()) {
            for (String args : badArguments(tool)) {
                tried++;
                try {
                    ToolExecutor.parse(tool, args);
                } catch (ToolFailure e) {
                    for (String word : FORBIDDEN) assertThat(e.getMessage()).as(tool.name() + " " + args).doesNotContain(word);
                    assertThat(e.getMessage()).as(tool.name() + " " + args).contains(tool.name());
                    continue;
                } catch (RuntimeException e) {
                    fail(tool.name() + " " + args + " threw " + e);
                }
                // some wrong values are still read (a number where a string goes): the tool then checks them itself
            }
        }
        assertThat(tried).isGreaterThan(100);
    }

    @Test
    void theTodoToolNamesTheUnknownArgumentByItsPlace() {
        Tool<?> todo = ToolRegistry.builtins().find("todo").orElseThrow();
        try {
            ToolExecutor.parse(todo, "{\"todos\":[{\"content\":\"a\",\"status\":\"pending\",\"activeForm\":\"doing a\"}]}");
            fail("accepted");
        } catch (ToolFailure e) {
            assertThat(e.getMessage()).contains("'todos[0].activeForm' is not an argument it takes").doesNotContain("dev.lathe");
        }
    }

    private static List<String> badArguments(Tool<?> tool) {
        List<String> out = new ArrayList<>(List.of("not json", "[1,2]", "\"text\"", "{\"no_such_argument\": 1}", "{"));
        JsonNode schema = JSON.readTree(tool.parametersSchema());
        List<JsonNode> wrong = List.of(JSON.getNodeFactory().numberNode(7), JSON.getNodeFactory().stringNode("x"), JSON.getNodeFactory().booleanNode(true),
                JSON.createArrayNode().add(1), JSON.createObjectNode().put("zz", 1));
        for (var p : schema.path("properties").properties()) {
            for (JsonNode value : wrong) {
                ObjectNode args = JSON.createObjectNode();
                args.set(p.getKey(), value);
                out.add(args.toString());
            }
            JsonNode items = p.getValue().path("items");
            if (items.isObject()) {
                ObjectNode bad = JSON.createObjectNode();
                bad.putArray(p.getKey()).add(JSON.createObjectNode().put("unknown_item_field", 1));
                out.add(bad.toString());
                for (var ip : items.path("properties").properties()) {
                    ObjectNode item = JSON.createObjectNode();
                    item.putArray(p.getKey()).add(JSON.createObjectNode().set(ip.getKey(), JSON.createArrayNode().add(1)));
                    out.add(item.toString());
                }
            }
        }
        return out;
    }
}
