package dev.lathe.mcp.bridge;

import dev.lathe.testkit.NpmServers;
import io.modelcontextprotocol.client.McpClient;
import dev.lathe.mcp.client.SdkServerClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import io.modelcontextprotocol.spec.McpSchema;

/** The real npm {@code mcp-server-everything} over stdio, connected the way the connections will hand it over. */
final class Everything {
    private Everything() {}

    static SdkServerClient connect() { return connect(tools -> {}); }

    static SdkServerClient connect(Consumer<List<McpSchema.Tool>> toolsChanged) {
        var params = ServerParameters.builder(NpmServers.bin("mcp-server-everything").toString()).args("stdio").build();
        var transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> {});
        SdkServerClient client = SdkServerClient.build(McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
                .initializationTimeout(Duration.ofSeconds(30)).toolsChangeConsumer(toolsChanged), Duration.ofSeconds(30));
        client.sdk().initialize();
        return client;
    }
}
