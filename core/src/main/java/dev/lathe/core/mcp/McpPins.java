package dev.lathe.core.mcp;

import dev.lathe.core.trust.RunPin;
import dev.lathe.core.trust.TrustItem;
import dev.lathe.core.trust.Withheld;
import dev.lathe.mcp.McpOptions;
import dev.lathe.mcp.McpServerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What trust approved of each local MCP server of a project, asked before every start and restart (DESIGN §24): the
 * files its command runs, found from the project root as a hook's are ({@link RunPin}), and the folder of each Claude
 * Code plugin its command runs from. Taken when the configuration is read, just after the trust gate admitted it.
 */
public final class McpPins {
    private McpPins() {}

    /** The start check for {@code servers} of the project at {@code root} whose configuration names {@code plugins}. */
    public static McpOptions.StartCheck of(Path root, Map<String, McpServerSpec> servers, List<Path> plugins) {
        Map<String, List<RunPin>> pins = new HashMap<>();
        for (McpServerSpec spec : servers.values()) {
            if (!(spec instanceof McpServerSpec.Local local)) continue;
            String line = String.join(" ", local.command());
            List<RunPin> of = new ArrayList<>(List.of(RunPin.of(root, new TrustItem(Withheld.Kind.MCP_SERVERS, "mcp", local.name(), line))));
            for (Path plugin : plugins) if (line.contains(plugin.toString())) of.add(RunPin.ofPluginFolder(plugin));
            pins.put(local.name(), List.copyOf(of));
        }
        Map<String, List<RunPin>> fixed = Map.copyOf(pins);
        return server -> fixed.getOrDefault(server, List.of()).stream().map(RunPin::refusal).flatMap(Optional::stream).findFirst();
    }
}
