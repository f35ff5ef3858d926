package dev.lathe.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A call's tool is found by name in the registry's map and its required arguments come from a memo of schemas: the
 * memo is keyed by the schema's text, so a tool whose schema changes is checked against the new one, never the old.
 */
class ToolLookupTest {
    /** A tool whose schema a test changes between calls. */
    private static final class Changing implements Tool<Changing.Args> {
        record Args(String a, String b) {}

        private final String name;
        volatile String schema;

        Changing(String name, String schema) {
            this.name = name;
            this.schema = schema;
        }

        @Override public String name() { return name; }
        @Override public String description() { return "a tool whose schema changes"; }
        @Override public String parametersSchema() { return schema; }
        @Override public Class<Args> argsType() { return Args.class; }
        @Override public Set<Effect> effects() { return Set.of(); }
        @Override public PermissionSource permission() { return PermissionSource.notChecked(); }
        @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }
        @Override public ToolResult run(Args args, ToolContext ctx) { return new ToolResult("", "", Map.of()); }
    }

    private static String schema(String... required) {
        return "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"string\"}},\"required\":["
                + String.join(",", List.of(required).stream().map(r -> "\"" + r + "\"").toList()) + "]}";
    }

    @Test
    void requiredArgumentsFollowTheSchemaAsItIsNow() {
        var tool = new Changing("changing", schema("a"));
        assertThat(ToolExecutor.parse(tool, "{\"a\":\"x\"}")).isEqualTo(new Changing.Args("x", null));
        tool.schema = schema("a", "b");
        assertThatThrownBy(() -> ToolExecutor.parse(tool, "{\"a\":\"x\"}")).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("Missing required argument(s) for changing: b.").hasMessageEndingWith("; required: a, b.");
        tool.schema = schema();
        assertThat(ToolExecutor.parse(tool, "{}")).isEqualTo(new Changing.Args(null, null));
        // another tool with the first schema is held to it, whatever was asked before
        assertThatThrownBy(() -> ToolExecutor.parse(new Changing("other", schema("a")), "{\"b\":\"y\"}")).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("Missing required argument(s) for other: a.");
    }

    @Test
    void findAnswersEveryRegisteredNameAndNothingElse() {
        ToolRegistry builtins = ToolRegistry.builtins();
        for (Tool<?> t : builtins.all()) assertThat(builtins.find(t.name())).containsSame(t);
        assertThat(builtins.find("no_such_tool")).isEmpty();
        var added = new Changing("zz_added", schema());
        ToolRegistry more = builtins.plus(List.of(added));
        assertThat(more.find("zz_added")).containsSame(added);
        assertThat(builtins.find("zz_added")).as("the registry it was made from is unchanged").isEmpty();
        var first = new Changing("twin", schema());
        assertThat(ToolRegistry.of(List.of(first, new Changing("twin", schema("a")))).find("twin")).as("the first of a name, as a scan found")
                .containsSame(first);
    }
}
