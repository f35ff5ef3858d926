package dev.lathe.core.plugin;

import dev.lathe.tools.Effect;
import dev.lathe.tools.FileGateway;
import dev.lathe.tools.PermissionSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a script tool says about itself: the JSON object after {@code lathe-tool:} in a comment among the first
 * {@value #SCAN_LINES} lines of the file, continued on the following lines with the same comment prefix ({@code #},
 * {@code //}, {@code --}, {@code ;} or {@code %}) until the object is complete. Keys: {@code name} and
 * {@code description} (required), {@code parameters} (a JSON Schema object; none by default), {@code effects}
 * ({@code reads_files}, {@code may_change_any_file}, {@code runs_processes}, {@code reaches_network}; all four when
 * absent: "may do anything"), {@code permission} ({@code {"kind": "path|command|url|value", "argument": NAME}}; by
 * default the tool is asked for as a whole), {@code timeout} (seconds, 1–600, default 60). Any other key is an error.
 */
record ScriptHeader(String name, String description, String parametersSchema, Set<Effect> effects, PermissionSource permission,
        Duration timeout) {
    static final int SCAN_LINES = 30;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final Set<Effect> ANYTHING = Set.copyOf(EnumSet.of(Effect.READS_FILES, Effect.MAY_CHANGE_ANY_FILE, Effect.RUNS_PROCESSES,
            Effect.REACHES_NETWORK));
    private static final Set<Effect> DECLARABLE = ANYTHING;
    private static final Pattern START = Pattern.compile("^\\s*(#|//|--|;|%)\\s*lathe-tool:(.*)$");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final List<String> KEYS = List.of("name", "description", "parameters", "effects", "permission", "timeout");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A header that is there but wrong: {@code getMessage()} names the file, the line and the key. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    /** The header of {@code file}; empty when its first lines have none (the file is not a script tool). */
    static Optional<ScriptHeader> read(Path file) throws IOException, Invalid {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(FileGateway.anywhere().open(file).in(),
                StandardCharsets.ISO_8859_1))) {
            String line;
            while (lines.size() < SCAN_LINES + 40 && (line = in.readLine()) != null) lines.add(line);
        }
        for (int i = 0; i < Math.min(SCAN_LINES, lines.size()); i++) {
            Matcher m = START.matcher(lines.get(i));
            if (!m.matches()) continue;
            String text = new String(m.group(2).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            return Optional.of(parse(file, i + 1, m.group(1), text, lines));
        }
        return Optional.empty();
    }

    private static ScriptHeader parse(Path file, int line, String prefix, String first, List<String> lines) throws Invalid {
        var text = new StringBuilder(first);
        int next = line;  // index of the line after the header's first
        while (true) {
            try {
                JsonNode node = JSON.readTree(text.toString());
                return of(file + ":" + line, node);
            } catch (JacksonException e) {
                String more = next < lines.size() ? continuation(lines.get(next), prefix) : null;
                if (more == null) {
                    throw new Invalid(file + ":" + line + ": the lathe-tool header is not a complete JSON object (" + e.getOriginalMessage()
                            + "); continue it on lines starting with " + prefix);
                }
                text.append('\n').append(new String(more.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
                next++;
            }
        }
    }

    private static String continuation(String line, String prefix) {
        String stripped = line.stripLeading();
        return stripped.startsWith(prefix) ? stripped.substring(prefix.length()) : null;
    }

    private static ScriptHeader of(String where, JsonNode node) throws Invalid {
        if (node == null || !node.isObject()) throw new Invalid(where + ": the lathe-tool header must be a JSON object");
        for (String key : node.propertyNames()) {
            if (!KEYS.contains(key)) throw new Invalid(where + ": key '" + key + "' is not a lathe-tool key (" + String.join(", ", KEYS) + ")");
        }
        String name = text(where, node, "name");
        if (!NAME.matcher(name).matches()) throw new Invalid(where + ": key 'name': '" + name + "' must be 1-64 of A-Z a-z 0-9 _ -");
        String description = text(where, node, "description");
        JsonNode parameters = node.get("parameters");
        String schema;
        if (parameters == null) {
            schema = "{\"type\":\"object\",\"properties\":{}}";
        } else {
            if (!parameters.isObject() || !"object".equals(parameters.path("type").asString(""))) {
                throw new Invalid(where + ": key 'parameters' must be a JSON Schema with \"type\": \"object\"");
            }
            schema = JSON.writeValueAsString(parameters);
        }
        return new ScriptHeader(name, description, schema, effects(where, node.get("effects")), permission(where, node.get("permission")),
                timeout(where, node.get("timeout")));
    }

    private static String text(String where, JsonNode node, String key) throws Invalid {
        JsonNode v = node.get(key);
        if (v == null || !v.isString() || v.asString().isBlank()) throw new Invalid(where + ": key '" + key + "' is required and must be a non-empty string");
        return v.asString();
    }

    private static Set<Effect> effects(String where, JsonNode node) throws Invalid {
        if (node == null) return ANYTHING;
        if (!node.isArray()) throw new Invalid(where + ": key 'effects' must be an array of effect names");
        Set<Effect> out = EnumSet.noneOf(Effect.class);
        for (JsonNode e : node) {
            Optional<Effect> effect = DECLARABLE.stream().filter(d -> d.name().toLowerCase(Locale.ROOT).equals(e.asString(""))).findFirst();
            if (effect.isEmpty()) {
                throw new Invalid(where + ": key 'effects': '" + e.asString(e.toString()) + "' is not one of "
                        + DECLARABLE.stream().map(d -> d.name().toLowerCase(Locale.ROOT)).sorted().toList());
            }
            out.add(effect.get());
        }
        return Set.copyOf(out);
    }

    private static PermissionSource permission(String where, JsonNode node) throws Invalid {
        if (node == null) return PermissionSource.wholeTool();
        String kind = node.path("kind").asString("");
        String argument = node.path("argument").asString("");
        if (!node.isObject() || argument.isBlank()) {
            throw new Invalid(where + ": key 'permission' must be {\"kind\": \"path|command|url|value\", \"argument\": NAME}");
        }
        return switch (kind) {
            case "path" -> PermissionSource.path(argument);
            case "command" -> PermissionSource.command(argument);
            case "url" -> PermissionSource.url(argument);
            case "value" -> PermissionSource.value(argument);
            default -> throw new Invalid(where + ": key 'permission.kind': '" + kind + "' is not one of path, command, url, value");
        };
    }

    private static Duration timeout(String where, JsonNode node) throws Invalid {
        if (node == null) return DEFAULT_TIMEOUT;
        if (!node.isIntegralNumber() || node.asInt() < 1 || node.asInt() > 600) {
            throw new Invalid(where + ": key 'timeout' must be a whole number of seconds from 1 to 600");
        }
        return Duration.ofSeconds(node.asInt());
    }
}
