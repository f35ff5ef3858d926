package dev.lathe.mcp.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolProgress;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import dev.lathe.mcp.client.SdkServerClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** Server-everything's tools through the bridge, called as the pipeline calls a tool (parse, then run). */
class McpToolTest {
    static SdkServerClient client;
    static ServerTools tools;
    @TempDir Path tmp;

    @BeforeAll static void connect() {
        client = Everything.connect();
        tools = new ServerTools("every thing", client, Duration.ofSeconds(20));
        tools.refresh();
    }

    @AfterAll static void close() { client.sdk().closeGracefully(); }

    McpTool tool(String name) {
        return tools.tools().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + tools.tools().stream().map(McpTool::name).toList()));
    }

    static List<McpTool> refreshed(ServerTools server) {
        assertThat(server.refresh()).as("listed " + server.server()).isTrue();
        return server.tools();
    }

    ToolResult call(McpTool tool, String json) {
        return new ToolExecutor(ToolRegistry.of(List.<Tool<?>>of(tool))).execute(tool.name(), json, ToolContexts.at(tmp));
    }

    @Test void toolsAreNamedNameToolSortedWithTheirSchemasAndTheServerAnnotations() {
        List<String> names = tools.tools().stream().map(McpTool::name).toList();
        assertThat(names).contains("every_thing_echo", "every_thing_get-sum", "every_thing_get-tiny-image").isSorted();
        McpTool echo = tool("every_thing_echo");
        assertThat(echo.serverToolName()).isEqualTo("echo");
        assertThat(echo.permission()).isEqualTo(PermissionSource.wholeTool());
        assertThat(echo.effects()).containsExactlyInAnyOrder(Effect.READS_FILES, Effect.REACHES_NETWORK);
        var schema = JsonMapper.builder().build().readTree(echo.parametersSchema());
        assertThat(schema.path("type").asString()).isEqualTo("object");
        assertThat(schema.path("properties").has("message")).isTrue();
        assertThat(schema.has("$schema")).isFalse();
        assertThat(echo.description()).isNotBlank();
        // a tool without readOnlyHint may do anything, so it asks and snapshots the whole tree
        McpTool toggle = tool("every_thing_toggle-simulated-logging");
        assertThat(toggle.effects()).contains(Effect.MAY_CHANGE_ANY_FILE, Effect.RUNS_PROCESSES);
    }

    @Test void textResultsReachTheModel() {
        ToolResult echo = call(tool("every_thing_echo"), "{\"message\":\"hello bridge\"}");
        assertThat(echo.output()).contains("hello bridge");
        assertThat(echo.title()).isEqualTo("message=hello bridge");
        assertThat(call(tool("every_thing_get-sum"), "{\"a\":2,\"b\":40}").output()).contains("42");
    }

    @Test void theTitleShowsTheArgumentsOnOneShortLine() {
        assertThat(McpTool.title(new McpArguments(java.util.Map.of()))).isEmpty();
        var map = new java.util.LinkedHashMap<String, Object>();
        map.put("a", 2);
        map.put("text", "line one\nline two " + "x".repeat(100));
        String title = McpTool.title(new McpArguments(map));
        assertThat(title).startsWith("a=2 text=line one line two x").endsWith("…").hasSize(80).doesNotContain("\n");
    }

    @Test void imagesBecomeAttachments() {
        ToolResult r = call(tool("every_thing_get-tiny-image"), "{}");
        assertThat(r.attachments()).isNotEmpty();
        assertThat(r.attachments().getFirst().mime()).isEqualTo("image/png");
        assertThat(r.attachments().getFirst().url()).startsWith("data:image/png;base64,");
        assertThat(r.output()).contains("attached");
    }

    @Test void embeddedResourcesAreInlined() {
        ToolResult r = call(tool("every_thing_get-resource-reference"), "{\"resourceType\":\"Text\",\"resourceId\":1}");
        assertThat(r.output()).contains("<resource uri=\"").contains("</resource>");
    }

    @Test void structuredContentReachesTheModel() {
        ToolResult r = call(tool("every_thing_get-structured-content"), "{\"location\":\"New York\"}");
        assertThat(r.output()).contains("temperature");
    }

    @Test void wrongArgumentsAreAToolErrorTheModelCanRead() {
        assertThatThrownBy(() -> call(tool("every_thing_get-sum"), "{\"a\":\"two\",\"b\":1}")).isInstanceOf(ToolFailure.class);
        assertThatThrownBy(() -> call(tool("every_thing_echo"), "{}")).isInstanceOf(ToolFailure.class).hasMessageContaining("message");
    }

    @Test void aServerThatIsGoneIsAToolErrorNotAnException() {
        SdkServerClient doomed = Everything.connect();
        McpTool echo = refreshed(new ServerTools("doomed", doomed, Duration.ofSeconds(5))).stream()
                .filter(t -> t.serverToolName().equals("echo")).findFirst().orElseThrow();
        doomed.close();
        assertThatThrownBy(() -> new ToolExecutor(ToolRegistry.of(List.<Tool<?>>of(echo))).execute(echo.name(), "{\"message\":\"x\"}", ToolContexts.at(tmp)))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("MCP server doomed");
    }

    @Test void aCallThatOutlastsTheTimeoutIsAToolError() {
        McpTool slow = refreshed(new ServerTools("slow", client, Duration.ofMillis(300))).stream()
                .filter(t -> t.serverToolName().equals("trigger-long-running-operation")).findFirst().orElseThrow();
        long start = System.nanoTime();
        assertThatThrownBy(() -> call(slow, "{\"duration\":5,\"steps\":5}")).isInstanceOf(ToolFailure.class).hasMessageContaining("did not answer");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test void aLongCallThatKeepsReportingProgressIsNotTimedOutAndItsProgressIsTold() {
        // 1.5 s without a word times a call out; this one takes 4 s and reports every half second
        McpTool slow = refreshed(new ServerTools("slow", client, Duration.ofMillis(1500))).stream()
                .filter(t -> t.serverToolName().equals("trigger-long-running-operation")).findFirst().orElseThrow();
        var told = new java.util.concurrent.CopyOnWriteArrayList<dev.lathe.protocol.session.CallProgress>();
        ToolProgress progress = new ToolProgress() {
            @Override public void update(String title, String outputSoFar) { }

            @Override public void progress(dev.lathe.protocol.session.CallProgress reported) { told.add(reported); }
        };
        ToolContext ctx = ToolContext.builder(tmp, dev.lathe.tools.Permissions.ALLOW_ALL).session("ses_mcp").call("call_mcp")
                .cancellation(new dev.lathe.llm.Cancellation()).progress(progress).output(tmp.resolve("out")).build();
        ToolResult result = new ToolExecutor(ToolRegistry.of(List.<Tool<?>>of(slow))).execute(slow.name(), "{\"duration\":4,\"steps\":8}", ctx);
        assertThat(result.output()).contains("Long running operation completed");
        // the server sends its last report just before the result, and the SDK hands notifications on from a thread of its
        // own: the last report races the result and may come after the call's listener is gone. The ones before it may not.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (told.size() < 8 && System.nanoTime() < deadline) java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        List<String> all = List.of("1/8", "2/8", "3/8", "4/8", "5/8", "6/8", "7/8", "8/8");
        List<String> heard = told.stream().map(dev.lathe.protocol.session.CallProgress::text).toList();
        assertThat(heard).hasSizeGreaterThanOrEqualTo(7);
        assertThat(heard).isEqualTo(all.subList(0, heard.size()));
    }
}
