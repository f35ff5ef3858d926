package dev.lathe.core.config;

import java.util.regex.Pattern;

/** What an MCP server may be called: its name prefixes its tools' ({@code NAME_TOOL}, DESIGN §18), so it holds no dot or space. */
final class McpNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private McpNames() {}

    static boolean valid(String name) {
        return NAME.matcher(name).matches();
    }
}
