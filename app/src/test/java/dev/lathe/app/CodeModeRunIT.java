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
 * Code Mode under {@code lathe run} (issue 82): a tool call made inside {@code mcp_execute} that a rule refuses ends the
 * run with the exit code the README gives a direct call, on the packaged jar with the real server-everything.
 */
class CodeModeRunIT {
    @TempDir Path home;

    private Lathe codeMode(FakeLlm llm, String permission) {
        String provider = Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY);
        return new Lathe(home, provider.substring(0, provider.length() - 1) + ", \"mcp\": {\"codeMode\": true, \"ev\": {\"type\": \"local\", \"command\": [\""
                + NpmServers.bin("mcp-server-everything") + "\"]}}, \"permission\": " + permission + "}");
    }

    private static void scriptEcho(FakeLlm llm) {
        // the server starts in the background (the first request never waits for it): the first step gives it time
        llm.enqueue(Turn.of(Step.toolCall("call_wait", "bash", "{\"command\":\"sleep 8\"}")));
        llm.enqueue(Turn.of(Step.toolCall("call_exec", "mcp_execute",
                "{\"code\":\"const e = await tools.ev_echo({message: 'hi'}); return e;\"}")));
        llm.enqueue(Turn.of(Step.text("Echoed.")));
    }

    @Test
    void anAskRefusedInsideAScriptExitsWith3() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            scriptEcho(llm);

            var run = codeMode(llm, "{\"bash\": {\"sleep *\": \"allow\"}}").run("run", "--dir", ws.path().toString(), "echo hi in code mode");

            assertThat(run.exit()).as(run.stderr()).isEqualTo(3);
            assertThat(run.stderr()).contains("ev_echo").contains("--allow-all");
            assertThat(llm.requests()).hasSize(2);
        }
    }

    @Test
    void aDenialInsideAScriptUnderOnDenyStopExitsWith3() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            scriptEcho(llm);

            var run = codeMode(llm, "{\"onDeny\": \"stop\", \"bash\": {\"sleep *\": \"allow\"}, \"ev_echo\": \"deny\"}")
                    .run("run", "--dir", ws.path().toString(), "echo hi in code mode");

            assertThat(run.exit()).as(run.stderr()).isEqualTo(3);
            assertThat(run.stderr()).contains("lathe: denied: mcp_execute by ev_echo: *");
            assertThat(llm.requests()).hasSize(2);
        }
    }
}
