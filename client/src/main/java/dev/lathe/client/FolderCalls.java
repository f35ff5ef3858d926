package dev.lathe.client;

import dev.lathe.protocol.api.MemoryListing;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.ModesInfo;
import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.BlockedConnection;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.FileContent;
import dev.lathe.protocol.api.FileEntry;
import dev.lathe.protocol.api.HookListing;
import dev.lathe.protocol.api.LspServerInfo;
import dev.lathe.protocol.api.McpResourceInfo;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.McpSignInStarted;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.ProviderInfo;
import dev.lathe.protocol.api.ProviderSignInStarted;
import dev.lathe.protocol.api.SkillInfo;
import dev.lathe.protocol.api.TextMatch;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.api.TrustRequest;
import dev.lathe.protocol.wire.WireJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The calls about a folder rather than a session, as {@link HttpLatheClient} makes them: what the folder defines (agents,
 * commands, skills, hooks, models and providers, its config and trust), the servers it runs for tools (MCP, LSP) and
 * their sign-ins, the connections local-only mode refused, and its files. Each is one request naming the folder.
 */
final class FolderCalls {
    private final ApiRequests requests;

    FolderCalls(ApiRequests requests) { this.requests = requests; }

    List<AgentInfo> agents(String directory) {
        return List.of(WireJson.read(send(get(at(ApiRoute.AGENTS), Map.of("directory", directory))), AgentInfo[].class));
    }

    ModesInfo modes(String directory) {
        return WireJson.read(send(get(at(ApiRoute.MODES), Map.of("directory", directory))), ModesInfo.class);
    }

    List<CommandInfo> commands(String directory) {
        return List.of(WireJson.read(send(get(at(ApiRoute.COMMANDS), Map.of("directory", directory))), CommandInfo[].class));
    }

    List<SkillInfo> skills(String directory) {
        return List.of(WireJson.read(send(get(at(ApiRoute.SKILLS), Map.of("directory", directory))), SkillInfo[].class));
    }

    HookListing hooks(String directory) {
        return WireJson.read(send(get(at(ApiRoute.HOOKS), Map.of("directory", directory))), HookListing.class);
    }

    List<McpServerInfo> mcp(String directory) {
        return List.of(WireJson.read(send(get(at(ApiRoute.MCP), Map.of("directory", directory))), McpServerInfo[].class));
    }

    MemoryListing memory(String directory) {
        return WireJson.read(send(get(at(ApiRoute.MEMORY), Map.of("directory", directory))), MemoryListing.class);
    }

    List<LspServerInfo> lsp(String directory) {
        return List.of(WireJson.read(send(get(at(ApiRoute.LSP), Map.of("directory", directory))), LspServerInfo[].class));
    }

    List<BlockedConnection> blockedConnections(String directory) {
        return List.of(WireJson.read(send(get(at(ApiRoute.BLOCKED_CONNECTIONS), Map.of("directory", directory))), BlockedConnection[].class));
    }

    McpServerInfo restartMcp(String directory, String name) {
        return WireJson.read(send(request(at(ApiRoute.MCP_RESTART, name), Map.of("directory", directory), Optional.of(new byte[0]))),
                McpServerInfo.class);
    }

    ProviderSignInStarted signInProvider(String directory, String provider, boolean device) {
        return WireJson.read(send(request(at(ApiRoute.PROVIDER_SIGN_IN, provider), Map.of("directory", directory, "device",
                String.valueOf(device)), Optional.of(new byte[0]))), ProviderSignInStarted.class);
    }

    McpSignInStarted signInMcp(String directory, String name) {
        return WireJson.read(send(request(at(ApiRoute.MCP_SIGN_IN, name), Map.of("directory", directory), Optional.of(new byte[0]))),
                McpSignInStarted.class);
    }

    List<McpResourceInfo> mcpResources(String directory) {
        return List.of(WireJson.read(send(get(at(ApiRoute.MCP_RESOURCES), Map.of("directory", directory))), McpResourceInfo[].class));
    }

    List<ModelInfo> models(String directory) {
        return List.of(WireJson.read(send(get(at(ApiRoute.MODELS), Map.of("directory", directory))), ModelInfo[].class));
    }

    List<ModelInfo> models(String directory, String provider) {
        return List.of(WireJson.read(send(get(at(ApiRoute.MODELS), Map.of("directory", directory, "provider", provider))), ModelInfo[].class));
    }

    List<ProviderInfo> providers(String directory) {
        return List.of(WireJson.read(send(get(at(ApiRoute.PROVIDERS), Map.of("directory", directory))), ProviderInfo[].class));
    }

    RawJson config(String directory) {
        return new RawJson(send(get(at(ApiRoute.CONFIG), Map.of("directory", directory))));
    }

    RawJson updateConfig(String directory, RawJson patch) {
        return new RawJson(send(json(at(ApiRoute.CONFIG_UPDATE), Map.of("directory", directory), patch.json())));
    }

    List<FileEntry> files(String directory, String path) {
        return List.of(WireJson.read(send(get(at(ApiRoute.FILES), Map.of("directory", directory, "path", path))), FileEntry[].class));
    }

    FileContent fileContent(String directory, String path) {
        return WireJson.read(send(get(at(ApiRoute.FILE_CONTENT), Map.of("directory", directory, "path", path))), FileContent.class);
    }

    List<String> findFiles(String directory, String query, int limit) {
        return List.of(WireJson.read(send(get(at(ApiRoute.FIND_FILES), Map.of("directory", directory, "query", query, "limit", Integer.toString(limit)))),
                String[].class));
    }

    List<TextMatch> findText(String directory, String pattern, int limit) {
        return List.of(WireJson.read(send(get(at(ApiRoute.FIND_TEXT), Map.of("directory", directory, "pattern", pattern, "limit", Integer.toString(limit)))),
                TextMatch[].class));
    }

    TrustInfo trust(String directory) {
        return TrustJson.trust(send(get(at(ApiRoute.TRUST), Map.of("directory", directory))));
    }

    TrustInfo setTrust(String directory, TrustRequest request) {
        return TrustJson.trust(send(json(at(ApiRoute.TRUST_SET), Map.of("directory", directory), WireJson.write(request))));
    }

    private static ApiRequests.Target at(ApiRoute route, String... values) { return ApiRequests.Target.of(route, values); }

    private HttpTransport.Request get(ApiRequests.Target target, Map<String, String> query) { return requests.get(target, query); }

    private HttpTransport.Request json(ApiRequests.Target target, Map<String, String> query, String json) { return requests.json(target, query, json); }

    private HttpTransport.Request request(ApiRequests.Target target, Map<String, String> query, Optional<byte[]> body) {
        return requests.request(target, query, body);
    }

    private String send(HttpTransport.Request request) { return requests.send(request); }
}
