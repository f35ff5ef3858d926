package dev.lathe.core.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Claude Code's variable expansion in {@code .mcp.json}: {@code ${VAR}} is the variable's value, {@code ${VAR:-default}}
 * the value when the variable is set (empty counts as set, as in Claude Code) and {@code default} otherwise. Applied to
 * {@code command}, {@code args}, {@code env} values, {@code url} and {@code headers} values, at read time, in a trusted
 * folder only. A variable that is not set and has no default is an error naming the file, line and key, and the
 * variable — never a value, since the values are often keys.
 */
final class McpJsonVariables {
    /** {@code ${NAME}} or {@code ${NAME:-default}}; the default runs to the first {@code }}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}:]+)(?::-([^}]*))?}");

    private McpJsonVariables() {}

    /** Whether {@code text} names a variable: a value built from one is kept out of messages. */
    static boolean refersToVariable(String text) {
        return VARIABLE.matcher(text).find();
    }

    /**
     * {@code text} with every variable replaced from {@code env}.
     *
     * @throws ConfigException naming {@code doc}'s file, the line of {@code key} and the missing variable
     */
    static String expand(LocatedJson doc, String key, String text, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(text);
        var out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).strip();
            String value = env.get(name);
            if (value == null) value = m.group(2);
            if (value == null) {
                throw new ConfigException(doc.source(), doc.lineOf(key), key,
                        "${" + name + "} is not set (set it, or give a default: ${" + name + ":-default})");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
