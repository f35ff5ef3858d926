package dev.lathe.core.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lathe.core.agent.FrontMatter.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrontMatterTest {

    /** Values without their line numbers, to compare whole trees. */
    private static Object plain(Node n) {
        return switch (n) {
            case Node.Scalar s -> s.text();
            case Node.Sequence q -> q.items().stream().map(FrontMatterTest::plain).toList();
            case Node.Mapping m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.entries().forEach((k, v) -> out.put(k, plain(v)));
                yield out;
            }
        };
    }

    @Test
    void readsTheSubsetAgentFilesUse() {
        var fm = FrontMatter.parse("""
                ---
                # a comment
                name: reviewer
                description: "Reviews code: \\"carefully\\""
                single: 'it''s'
                plain: Use it when: the user asks # trailing comment
                temperature: 0.2
                flow: [Read, "Grep", 'Glob']
                empty: []
                tools:
                  write: false
                  "mcp_*": true
                list:
                  - a
                  - "b c"
                same-indent:
                - x
                permission:
                  edit: deny
                  bash:
                    "*": ask
                    "git status *": allow
                map: {a: b, "c": [d, e]}
                literal: |
                  line one
                    indented
                folded: >
                  one
                  two

                  three
                ---

                You are a reviewer.
                """);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("name", "reviewer");
        expected.put("description", "Reviews code: \"carefully\"");
        expected.put("single", "it's");
        expected.put("plain", "Use it when: the user asks");
        expected.put("temperature", "0.2");
        expected.put("flow", List.of("Read", "Grep", "Glob"));
        expected.put("empty", List.of());
        expected.put("tools", Map.of("write", "false", "mcp_*", "true"));
        expected.put("list", List.of("a", "b c"));
        expected.put("same-indent", List.of("x"));
        expected.put("permission", Map.of("edit", "deny", "bash", Map.of("*", "ask", "git status *", "allow")));
        expected.put("map", Map.of("a", "b", "c", List.of("d", "e")));
        expected.put("literal", "line one\n  indented");
        expected.put("folded", "one two\nthree");
        assertThat(plain(fm.fields())).isEqualTo(expected);
        assertThat(fm.body()).isEqualTo("You are a reviewer.");
        assertThat(fm.fields().get("temperature").orElseThrow().line()).isEqualTo(7);
    }

    @Test
    void aFileWithoutFrontMatterIsAllBody() {
        var fm = FrontMatter.parse("# Title\n\nJust a prompt.\n");
        assertThat(fm.fields().entries()).isEmpty();
        assertThat(fm.body()).isEqualTo("# Title\n\nJust a prompt.");
    }

    @Test
    void aMultiLineFlowListAndQuotedStringContinue() {
        var fm = FrontMatter.parse("---\ntools: [\n  Read,\n  Grep\n]\ndescription: \"one\n  two\"\nafter: x\n---\nbody");
        assertThat(plain(fm.fields())).isEqualTo(Map.of("tools", List.of("Read", "Grep"), "description", "one two", "after", "x"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "---\\nname: a\\n|1|never closed",
            "---\\nname: a\\nname: b\\n---\\n|3|duplicate key 'name'",
            "---\\nname: a\\n  extra: b\\n---\\n|3|unexpected indentation",
            "---\\ndescription: \"open\\n---\\n|2|unclosed quote",
            "---\\ntools: [a, b\\n---\\n|2|unclosed bracket",
            "---\\nname: a\\njust text\\n---\\n|3|expected key: value",
            "---\\nlist:\\n  - a: b\\n---\\n|3|key: value inside a list item",
            "---\\nname: &anchor a\\n---\\n|2|anchors",
            "---\\nname: a\\n\\tmode: b\\n---\\n|3|tab",
            "---\\nname: 'x' y\\n---\\n|2|after the quoted value"})
    void malformedFrontMatterNamesTheLine(String text, int line, String message) {
        var e = catchThrowableOfType(FrontMatter.Malformed.class, () -> FrontMatter.parse(text.replace("\\n", "\n").replace("\\t", "\t")));
        assertThat(e).as(text).isNotNull();
        assertThat(e.line).as(text).isEqualTo(line);
        assertThat(e.getMessage()).as(text).contains(message);
    }
}
