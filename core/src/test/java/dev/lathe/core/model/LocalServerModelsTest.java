package dev.lathe.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalServerModelsTest {
    @Test
    void listsTheIdsAServerOnThisMachineAnswersOnItsModelsRoute() throws Exception {
        List<String> paths = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            byte[] body = "{\"object\": \"list\", \"data\": [{\"id\": \"qwen3-coder:30b\", \"object\": \"model\"}, {\"id\": \"llama3.2:3b\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/v1/models") ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
            assertThat(LocalServerModels.ids("Ollama", url)).containsExactly("qwen3-coder:30b", "llama3.2:3b");
            assertThat(paths).containsExactly("GET /v1/models");
            assertThatThrownBy(() -> LocalServerModels.ids("Ollama", "http://127.0.0.1:" + server.getAddress().getPort() + "/other"))
                    .isInstanceOf(LocalServerModels.Unreachable.class).hasMessageContaining("HTTP 404");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aServerThatIsNotRunningIsNamedWithItsUrl() throws Exception {
        int port;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/v1";
        assertThatThrownBy(() -> LocalServerModels.ids("Ollama", url)).isInstanceOf(LocalServerModels.Unreachable.class)
                .hasMessageContaining(url).hasMessageContaining("is it running?");
    }

    @Test
    void onlyLoopbackServersAreAsked() {
        assertThat(LocalServerModels.isLocal("http://127.0.0.1:11434/v1")).isTrue();
        assertThat(LocalServerModels.isLocal("http://localhost:1234/v1")).isTrue();
        assertThat(LocalServerModels.isLocal("https://api.openai.com/v1")).isFalse();
    }
}
