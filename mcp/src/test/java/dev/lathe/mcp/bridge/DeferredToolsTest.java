package dev.lathe.mcp.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.TokenEstimate;
import dev.lathe.llm.ToolSpec;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.mcp.client.SdkServerClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten servers' worth of tools (server-everything's, under ten names) against the prompt budget: the first request's
 * MCP part is just {@code tool_search}, and the list only grows at its end as tools are found.
 */
class DeferredToolsTest {
    /** What DESIGN §16 leaves for MCP definitions in these tests: a few hundred tokens, well below ten servers' worth. */
    static final int ALLOWANCE = 1_500;
    static SdkServerClient client;
    static List<ServerTools> servers = new ArrayList<>();
    static Supplier<List<Tool<?>>> all = () -> servers.stream().flatMap(s -> s.asTools().stream()).toList();
    @TempDir Path tmp;

    @BeforeAll static void connect() {
        client = Everything.connect();
        for (int i = 1; i <= 10; i++) {
            var server = new ServerTools("srv" + i, client, Duration.ofSeconds(20));
            server.refresh();
            servers.add(server);
        }
    }

    @AfterAll static void close() { client.sdk().closeGracefully(); }

    static int tokens(Tool<?> t) { return TokenEstimate.of(t.spec()); }

    static int tokens(List<Tool<?>> tools) { return tools.stream().mapToInt(DeferredToolsTest::tokens).sum(); }

    static List<ToolSpec> specs(List<Tool<?>> tools) { return tools.stream().map(Tool::spec).toList(); }

    String search(DeferredTools deferred, String session, String query) {
        Tool<?> search = deferred.find(ToolSearch.NAME).orElseThrow();
        var ctx = dev.lathe.tools.ToolContext.builder(tmp, dev.lathe.tools.Permissions.ALLOW_ALL).session(session).call("call_s")
                .output(tmp.resolve("out")).build();
        return new ToolExecutor(ToolRegistry.of(List.of(search))).execute(ToolSearch.NAME, "{\"query\":" + tools.jackson.databind.json.JsonMapper.builder().build()
                .writeValueAsString(query) + "}", ctx).output();
    }

    @Test void toolsThatFitAreAllOfferedSortedAndNoToolSearch() {
        var one = new DeferredTools(() -> servers.getFirst().asTools(), 100_000, DeferredToolsTest::tokens);
        List<Tool<?>> offered = one.offered("ses_a");
        assertThat(offered.stream().map(Tool::name).toList()).isSorted().contains("srv1_echo").doesNotContain(ToolSearch.NAME);
        assertThat(one.deferring()).isFalse();
        assertThat(one.find(ToolSearch.NAME)).isEmpty();
    }

    @Test void tenServersStayWithinBudgetAndTheListOnlyGrowsAtItsEnd() {
        assertThat(tokens(all.get())).as("ten servers' definitions").isGreaterThan(ALLOWANCE);
        var deferred = new DeferredTools(all, ALLOWANCE, DeferredToolsTest::tokens);
        List<Tool<?>> first = deferred.offered("ses_a");
        assertThat(first).extracting(Tool::name).containsExactly(ToolSearch.NAME);
        assertThat(tokens(first)).isLessThanOrEqualTo(ALLOWANCE);
        assertThat(specs(deferred.offered("ses_a"))).as("the next step without a search").isEqualTo(specs(first));

        String answer = search(deferred, "ses_a", "srv7 echo");
        assertThat(answer).contains("<tool name=\"srv7_echo\">").contains("\"message\"");
        List<Tool<?>> second = deferred.offered("ses_a");
        assertThat(specs(second)).startsWith(specs(first).toArray(ToolSpec[]::new));
        assertThat(second.getLast().name()).isNotEqualTo(ToolSearch.NAME);
        assertThat(second).extracting(Tool::name).contains("srv7_echo");

        search(deferred, "ses_a", "tiny image");
        List<Tool<?>> third = deferred.offered("ses_a");
        assertThat(specs(third)).startsWith(specs(second).toArray(ToolSpec[]::new));
        assertThat(third.size()).isGreaterThan(second.size());
        assertThat(third).extracting(Tool::name).contains("srv1_get-tiny-image");

        assertThat(deferred.offered("ses_b")).as("another session found nothing").extracting(Tool::name).containsExactly(ToolSearch.NAME);
    }

    @Test void aDeferredToolCalledByItsExactNameRuns() {
        var deferred = new DeferredTools(all, ALLOWANCE, DeferredToolsTest::tokens);
        assertThat(deferred.offered("ses_c")).extracting(Tool::name).doesNotContain("srv3_get-sum");
        Tool<?> sum = deferred.find("srv3_get-sum").orElseThrow();
        var ctx = ToolContexts.at(tmp);
        assertThat(new ToolExecutor(ToolRegistry.of(List.of(sum))).execute("srv3_get-sum", "{\"a\":1,\"b\":2}", ctx).output()).contains("3");
    }

    @Test void aSearchWithoutMatchesSaysSoAndFindsNothing() {
        var deferred = new DeferredTools(all, ALLOWANCE, DeferredToolsTest::tokens);
        assertThat(search(deferred, "ses_d", "kubernetes")).startsWith("No tool matches");
        assertThat(deferred.offered("ses_d")).extracting(Tool::name).containsExactly(ToolSearch.NAME);
    }

    @Test void anExactNameIsTheOnlyMatchFirst() {
        var deferred = new DeferredTools(all, ALLOWANCE, DeferredToolsTest::tokens);
        assertThat(search(deferred, "ses_e", "srv10_get-sum")).contains("<tool name=\"srv10_get-sum\">");
        assertThat(deferred.offered("ses_e").get(1).name()).isEqualTo("srv10_get-sum");
    }
}
