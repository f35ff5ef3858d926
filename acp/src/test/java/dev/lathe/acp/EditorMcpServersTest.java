package dev.lathe.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.jsonrpc.Json;
import dev.lathe.jsonrpc.JsonRpcError;
import dev.lathe.protocol.api.SessionMcpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ACP's {@code mcpServers} (schema v1) as the records {@code PUT /sessions/{id}/mcp} takes. */
class EditorMcpServersTest {
    private static List<SessionMcpServer> map(String json) throws JsonRpcError {
        return EditorMcpServers.servers(Json.mapper().readTree(json));
    }

    @Test
    void stdioHttpAndSseMapWithTheirPairsAsMapsAndNamesMadeValid() throws Exception {
        List<SessionMcpServer> servers = map("""
                [{"name": "files", "command": "/usr/bin/mcp-files", "args": ["--root", "/w"], "env": [{"name": "A", "value": "1"}]},
                 {"type": "http", "name": "My Docs", "url": "https://docs.example/mcp", "headers": [{"name": "Authorization", "value": "Bearer t"}]},
                 {"type": "sse", "name": "My Docs", "url": "https://old.example/sse", "headers": []},
                 {"name": "bare", "command": "srv", "args": null, "env": null}]""");
        assertThat(servers).containsExactly(
                new SessionMcpServer.Stdio("files", "/usr/bin/mcp-files", List.of("--root", "/w"), Map.of("A", "1")),
                new SessionMcpServer.Http("My_Docs", "https://docs.example/mcp", Map.of("Authorization", "Bearer t")),
                new SessionMcpServer.Http("My_Docs_2", "https://old.example/sse", Map.of()),
                new SessionMcpServer.Stdio("bare", "srv", List.of(), Map.of()));
    }

    @Test
    void malformedEntriesAreInvalidParamsNamingTheField() {
        assertThatThrownBy(() -> map("{}")).isInstanceOf(JsonRpcError.class).hasMessageContaining("must be an array");
        assertThatThrownBy(() -> map("[{\"name\": \"x\"}]")).isInstanceOf(JsonRpcError.class).hasMessageContaining("mcpServers[0].command");
        assertThatThrownBy(() -> map("[{\"type\": \"ws\", \"name\": \"x\", \"url\": \"ws://h\"}]")).isInstanceOf(JsonRpcError.class)
                .hasMessageContaining("'ws'");
        assertThatThrownBy(() -> map("[{\"name\": \"x\", \"command\": \"c\", \"env\": {\"A\": \"1\"}}]")).isInstanceOf(JsonRpcError.class)
                .hasMessageContaining("mcpServers[0].env");
        assertThatThrownBy(() -> map("[{\"type\": \"http\", \"name\": \"x\"}]")).isInstanceOf(JsonRpcError.class)
                .hasMessageContaining("mcpServers[0].url");
    }
}
