package dev.lathe.core.markdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrontMatterTest {
    /** Values without their line numbers, to compare whole trees. */
    private static Object plain(FrontMatter.Value v) {
        return switch (v) {
            case FrontMatter.Text t -> t.text();
            case FrontMatter.Items i -> i.items().stream().map(FrontMatterTest::plain).toList();
            case FrontMatter.Fields f -> plain(f.fields());
        };
    }

    private static Map<String, Object> plain(Map<String, FrontMatter.Value> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, plain(v)));
        return out;
    }

    @Test
    void aFileWithoutFrontMatterIsAllBody() {
        var fm = FrontMatter.parse("# Review\n\nLook at $ARGUMENTS.\n");
        assertThat(fm.fields()).isEmpty();
        assertThat(fm.body()).isEqualTo("# Review\n\nLook at $ARGUMENTS.\n");
        assertThat(fm.bodyLine()).isEqualTo(1);
    }

    @Test
    void readsTheFieldsCommandAndSkillFilesUse() {
        var fm = FrontMatter.parse("""
                ---
                description: Review the diff   # what /review shows
                agent: plan
                model: "anthropic/claude-sonnet-4-5"
                argument-hint: [file] [focus]
                hint: [message]
                allowed-tools: Bash(git add:*), Bash(git status:*)
                quoted: 'it''s "fine"'
                escaped: "tab\\there \\u00e9"
                empty:
                ---
                Body $1
                """);
        assertThat(fm.text("description")).hasValue("Review the diff");
        assertThat(fm.text("agent")).hasValue("plan");
        assertThat(fm.text("model")).hasValue("anthropic/claude-sonnet-4-5");
        assertThat(fm.text("argument-hint")).hasValue("[file] [focus]");
        assertThat(fm.texts("hint")).hasValue(List.of("message"));
        assertThat(fm.texts("allowed-tools")).hasValue(List.of("Bash(git add:*)", "Bash(git status:*)"));
        assertThat(fm.text("quoted")).hasValue("it's \"fine\"");
        assertThat(fm.text("escaped")).hasValue("tab\there é");
        assertThat(fm.text("empty")).hasValue("");
        assertThat(fm.text("missing")).isEmpty();
        assertThat(fm.keys()).containsExactly("description", "agent", "model", "argument-hint", "hint", "allowed-tools", "quoted", "escaped", "empty");
        assertThat(fm.body()).isEqualTo("Body $1\n");
        assertThat(fm.bodyLine()).isEqualTo(12);
    }

    @Test
    void readsNestedMappingsListsAndBlockScalars() {
        var fm = FrontMatter.parse("""
                ---
                description: >
                  Folded text
                  over two lines.

                  A new paragraph.
                prompt: |-
                  line one
                    indented
                  line three
                long: a plain value
                  that goes on
                tools:
                  - read
                  - "grep"
                compact:
                - a
                - b
                flow: {write: false, "bash": ask}
                permission:
                  bash:
                    "*": ask
                    "git status*": allow
                  edit: deny
                ---
                """);
        assertThat(fm.text("description")).hasValue("Folded text over two lines.\nA new paragraph.\n");
        assertThat(fm.text("prompt")).hasValue("line one\n  indented\nline three");
        assertThat(fm.text("long")).hasValue("a plain value that goes on");
        assertThat(fm.texts("tools")).hasValue(List.of("read", "grep"));
        assertThat(fm.texts("compact")).hasValue(List.of("a", "b"));
        assertThat(fm.mapping("flow")).hasValueSatisfying(f -> assertThat(f.fields()).containsOnlyKeys("write", "bash"));
        var permission = fm.mapping("permission").orElseThrow();
        assertThat(permission.fields().get("edit")).isEqualTo(new FrontMatter.Text("deny", 24));
        assertThat(permission.fields().get("bash")).isInstanceOfSatisfying(FrontMatter.Fields.class, b -> assertThat(b.fields())
                .isEqualTo(Map.of("*", new FrontMatter.Text("ask", 22), "git status*", new FrontMatter.Text("allow", 23))));
        assertThat(fm.body()).isEmpty();
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
        expected.put("literal", "line one\n  indented\n");
        expected.put("folded", "one two\nthree\n");
        assertThat(plain(fm.fields())).isEqualTo(expected);
        assertThat(fm.body()).isEqualTo("\nYou are a reviewer.\n");
        assertThat(fm.fields().get("temperature").line()).isEqualTo(7);
    }

    /** The one leniency: real Claude Code agent descriptions hold ": " unquoted. */
    @Test
    void anUnquotedValueMayHoldColonSpace() {
        var fm = FrontMatter.parse("---\ndescription: Use it when: the user asks: review  # why\nhint: ends with:\n---\n");
        assertThat(fm.text("description")).hasValue("Use it when: the user asks: review");
        assertThat(fm.text("hint")).hasValue("ends with:");
    }

    @Test
    void windowsLineEndsAndAByteOrderMarkAreFine() {
        var fm = FrontMatter.parse("\uFEFF---\r\ndescription: Hi\r\n---\r\nBody\r\n");
        assertThat(fm.text("description")).hasValue("Hi");
        assertThat(fm.body()).isEqualTo("Body\r\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ---§description: x                  | line 1: the front matter opened by --- is never closed
            ---§a: 1§a: 2§---                   | line 3: duplicate key a
            ---§a: 1§  b: 2§---                 | line 3: unexpected indentation
            ---§a: x when: y§  b: 2§---         | line 3: unexpected indentation
            ---§a: [x]§  b: 1§---               | line 3: unexpected indentation
            ---§a:§\tb: 2§---                   | line 3: tabs cannot indent YAML
            ---§a: 1§\tb: 2§---                 | line 3: tabs cannot indent YAML
            ---§a: &x 1§---                     | line 2: anchors, aliases and tags
            ---§a: *x§---                       | line 2: anchors, aliases and tags
            ---§a: "open§---                    | line 2: the quoted value is not closed
            ---§a: [b, c§---                    | line 2: a [ ] or { } value must close on its own line
            ---§a:§  - b: c§---                 | line 3: lists of mappings are not supported
            ---§- a§---                         | line 2: the front matter must be a mapping
            ---§just text§---                   | line 2: expected key: value
            ---§a: "x\\q"§---                   | line 2: unknown escape \\q
            ---§a: "x" y§---                    | line 2: unexpected text after the closing quote
            ---§a: {b: c} d§---                 | line 2: unexpected text after the closing bracket
            """)
    void refusesWhatItDoesNotReadWithTheLine(String file, String message) {
        assertThatThrownBy(() -> FrontMatter.parse(file.replace("§", "\n").replace("\\t", "\t").replace("\\\\", "\\")))
                .isInstanceOf(FrontMatterException.class).hasMessageStartingWith(message);
    }

    @Test
    void fieldsOfTheWrongShapeAreErrorsNamingTheLine() {
        var fm = FrontMatter.parse("---\ndescription:\n  - a\nmodel: x\n---\n");
        assertThatThrownBy(() -> fm.text("description")).isInstanceOf(FrontMatterException.class)
                .hasMessage("line 3: description must be a single value (key: text), not a list");
        assertThatThrownBy(() -> fm.mapping("model")).isInstanceOf(FrontMatterException.class).hasMessageStartingWith("line 4: model must be a mapping");
    }
}
