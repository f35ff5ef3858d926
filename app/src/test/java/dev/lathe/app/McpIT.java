package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configured MCP server's tool reaches the model and runs, and its elicitation is answered the way {@code lathe run}
 * answers questions, on the packaged jar with the real server-everything.
 */
class McpIT {
    @TempDir Path home;

    @Test
    void theModelCallsAToolOfAConfiguredServerAndReadsItsResult() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            // the server starts in the background (the first request never waits for it): the first step gives it time
            llm.enqueue(Turn.of(Step.toolCall("call_wait", "bash", "{\"command\":\"sleep 8\"}")));
            llm.enqueue(Turn.of(Step.toolCall("call_echo", "ev_echo", "{\"message\":\"hi\"}")));
            llm.enqueue(Turn.of(Step.toolCall("call_ask", "ev_trigger-elicitation-request", "{}")));
            llm.enqueue(Turn.of(Step.text("It echoed.")));
            String provider = Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY);
            String config = provider.substring(0, provider.length() - 1) + ", \"mcp\": {\"ev\": {\"type\": \"local\", \"command\": [\""
                    + NpmServers.bin("mcp-server-everything") + "\"]}}}";
            var lathe = new Lathe(home, config);

            var run = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "echo hi through the everything server");

            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(llm.requests()).hasSize(4);
            // the lean built-ins (decisions 493, 520) leave room in the tools' budget (decision 89) for server-everything's
            // 18 tools: each is offered by name, and no tool_search (McpServersIT defers ten servers' tools behind it)
            assertThat(llm.requests().get(1).toolNames()).contains("ev_echo").doesNotContain("tool_search");
            assertThat(llm.requests().get(2).toolResult("call_echo")).hasValueSatisfying(t -> assertThat(t).contains("Echo: hi"));
            assertThat(llm.requests().get(2).toolResultIsError("call_echo")).isFalse();
            // the server's elicitation becomes the session's question, which `lathe run` cannot answer: cancel, at once
            assertThat(llm.requests().get(3).toolResult("call_ask")).hasValueSatisfying(t -> assertThat(t)
                    .contains("User cancelled the elicitation dialog", "\"action\": \"cancel\""));
        }
    }

    /** {@code lathe run} with the real server-everything configured as {@code everything}. */
    private Lathe everything(FakeLlm llm) {
        String provider = Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY);
        return new Lathe(home, provider.substring(0, provider.length() - 1) + ", \"mcp\": {\"everything\": {\"type\": \"local\", \"command\": [\""
                + NpmServers.bin("mcp-server-everything") + "\"]}}}");
    }

    @Test
    void aResourceMentionedInTheMessageReachesTheModel() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            llm.enqueue(Turn.of(Step.text("Summarised.")));

            // the server is still starting when the prompt arrives: reading the resource waits for it
            var run = everything(llm).run("run", "--dir", ws.path().toString(), "@everything:demo://resource/dynamic/text/1 summarise");

            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(llm.requests()).hasSize(1);
            assertThat(llm.requests().getFirst().lastUserText()).contains("@everything:demo://resource/dynamic/text/1 summarise")
                    .contains("<resource uri=\"demo://resource/dynamic/text/1\" mime=\"text/plain\">\nResource 1: This is a plaintext resource");
        }
    }

    @Test
    void aServerPromptRunsAsASlashCommand() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            llm.enqueue(Turn.of(Step.text("Sunny.")));
            var lathe = everything(llm);

            var run = lathe.run("run", "--dir", ws.path().toString(), "/everything:args-prompt Paris");

            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(llm.requests()).hasSize(1);
            assertThat(llm.requests().getFirst().lastUserText()).contains("What's weather in Paris?");

            var missing = lathe.run("run", "--dir", ws.path().toString(), "/everything:args-prompt");
            assertThat(missing.exit()).isEqualTo(2);
            assertThat(missing.stderr()).contains("lathe: /everything:args-prompt needs city (usage: /everything:args-prompt city [state])");
            var unknown = lathe.run("run", "--dir", ws.path().toString(), "@nosuch:demo://x what is it?");
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.stderr()).contains("lathe: @nosuch:demo://x was not attached: no MCP server is called nosuch in this folder (its servers: everything)");
            assertThat(llm.requests()).hasSize(1);
        }
    }
}
