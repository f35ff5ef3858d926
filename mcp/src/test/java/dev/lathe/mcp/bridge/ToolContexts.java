package dev.lathe.mcp.bridge;

import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import java.nio.file.Path;

final class ToolContexts {
    private ToolContexts() {}

    static ToolContext at(Path dir) {
        return ToolContext.builder(dir, Permissions.ALLOW_ALL).session("ses_mcp").call("call_mcp").output(dir.resolve("out")).build();
    }
}
