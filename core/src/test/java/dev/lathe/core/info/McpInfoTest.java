package dev.lathe.core.info;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.event.Event;
import dev.lathe.testkit.NpmServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real core starts a folder's configured MCP servers when the folder opens, answers their statuses and publishes
 * every change as {@code mcp.status}; a config edit removing the server stops it.
 */
class McpInfoTest {
    @TempDir Path tmp;

    @Test
    void aConfiguredServerStartsWithItsFolderAndReportsItsStatus() throws Exception {
        try (var f = new InfoFixture(tmp, Map.of())) {
            String ev = NpmServers.bin("mcp-server-everything").toString();
            Files.writeString(f.paths.globalConfig(), InfoFixture.GLOBAL_CONFIG.strip().replaceFirst("}$",
                    ", \"mcp\": {\"ev\": {\"type\": \"local\", \"command\": [\"" + ev + "\"]}}}"));
            List<Event.McpStatusChanged> events = new CopyOnWriteArrayList<>();
            try (var sub = f.api.subscribe(EventFilter.ALL, 0, e -> {
                if (e.event() instanceof Event.McpStatusChanged m) events.add(m);
            })) {
                assertThat(f.api.mcp(f.dir())).extracting(McpServerInfo::name).containsExactly("ev");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!f.api.mcp(f.dir()).getFirst().status().equals("connected") && System.nanoTime() < deadline) Thread.sleep(50);
                assertThat(f.api.mcp(f.dir())).containsExactly(new McpServerInfo("ev", "connected", java.util.Optional.empty(), 0));
                while (events.stream().noneMatch(e -> e.server().status().equals("connected")) && System.nanoTime() < deadline) Thread.sleep(20);
                assertThat(events).extracting(e -> e.server().status()).contains("starting", "connected");
                assertThat(events).allSatisfy(e -> assertThat(e.folder()).isEqualTo(f.dir()));

                // the server's entry removed: the next read of the folder stops it
                Files.writeString(f.paths.globalConfig(), InfoFixture.GLOBAL_CONFIG);
                Thread.sleep(1100); // a config file's stamp is its modification time
                assertThat(f.api.mcp(f.dir())).isEmpty();
            }
        }
    }
}
