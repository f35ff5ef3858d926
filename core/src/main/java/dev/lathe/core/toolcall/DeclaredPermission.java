package dev.lathe.core.toolcall;

import dev.lathe.protocol.wire.WireJson;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The pipeline's permission gate, for a tool that declares {@link PermissionSource.Checker#BY_PIPELINE}: asks
 * {@code ctx.guards().permissions()} with the tool's own name as the rule key and the declared argument's value as the pattern
 * (a path made relative to the project, and a path outside it first asks {@code external_directory}, as the built-ins
 * do; {@code *} when the source is {@code NONE} or the argument was not given). A tool that checks itself is passed
 * through: asking twice would show the user two questions for one call.
 */
final class DeclaredPermission {
    private DeclaredPermission() {}

    static void check(Tool<?> tool, String argsJson, ToolContext ctx) {
        PermissionSource source = tool.permission();
        switch (source.checker()) {
            case BY_TOOL -> { }
            case BY_PIPELINE -> {
                List<String> patterns = patterns(source, argsJson, ctx);
                ctx.guards().permissions().require(new PermissionCheck(tool.name(), source.pattern(), patterns, patterns, tool.name() + " " + patterns.getFirst(),
                        java.util.Map.of()));
            }
        }
    }

    private static List<String> patterns(PermissionSource source, String argsJson, ToolContext ctx) {
        String value = argument(source, argsJson);
        if (value.isEmpty()) return List.of("*");
        return switch (source.pattern()) {
            case PATH -> {
                // as the built-ins decide: on the real path, with the name given too when a link leads elsewhere
                var target = ProjectPaths.target(ctx, value);
                ProjectPaths.checkExternal(ctx, target.real(), false);
                yield target.patterns();
            }
            case COMMAND -> List.of(value.strip());
            case URL, VALUE -> List.of(value);
            case PATCH -> throw new IllegalStateException("a patch is checked by its tool (PermissionSource forbids BY_PIPELINE)");
            case NONE -> List.of("*");
        };
    }

    private static String argument(PermissionSource source, String argsJson) {
        if (source.argument().isEmpty()) return "";
        JsonNode v = WireJson.mapper().readTree(argsJson.isBlank() ? "{}" : argsJson).get(source.argument());
        return v != null && v.isString() ? v.asString() : "";
    }
}
