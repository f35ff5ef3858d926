package dev.lathe.mcp.bridge;

import dev.lathe.llm.Cancellation;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolProgress;
import java.nio.file.Path;
import java.util.Set;

final class ToolContexts {
    private ToolContexts() {}

    static ToolContext at(Path dir) {
        return new ToolContext(dir, "ses_mcp", "call_mcp", Permissions.ALLOW_ALL, new Cancellation(), ToolProgress.NONE, dir.resolve("out"), Set.of());
    }
}
