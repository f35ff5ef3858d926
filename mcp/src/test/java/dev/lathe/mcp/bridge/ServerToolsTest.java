package dev.lathe.mcp.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.mcp.client.SdkServerClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerToolsTest {
    @Test void theListIsKeptUntilItChangesThenFetchedInTheBackground() throws InterruptedException {
        SdkServerClient client = Everything.connect();
        try {
            var tools = new ServerTools("ev", client, Duration.ofSeconds(20));
            assertThat(tools.tools()).as("nothing before the first refresh").isEmpty();
            assertThat(tools.refresh()).isTrue();
            List<McpTool> first = tools.tools();
            assertThat(first).isNotEmpty();
            assertThat(tools.tools()).as("no change announced: the same list, not fetched again").isSameAs(first);
            tools.listChanged(List.of());
            assertThat(tools.tools()).as("the step after the change does not wait").isSameAs(first);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (tools.tools() == first && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(tools.tools()).as("fetched again in the background").isNotSameAs(first)
                    .extracting(McpTool::name).isEqualTo(first.stream().map(McpTool::name).toList());
        } finally {
            client.sdk().closeGracefully();
        }
    }

    @Test void aServerThatIsDownKeepsItsListAndNeverStallsAStep() {
        SdkServerClient client = Everything.connect();
        var tools = new ServerTools("ev", client, Duration.ofSeconds(20));
        tools.refresh();
        List<McpTool> known = tools.tools();
        client.close();
        tools.listChanged();
        long start = System.nanoTime();
        for (int step = 0; step < 5; step++) assertThat(tools.tools()).isSameAs(known);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
}
