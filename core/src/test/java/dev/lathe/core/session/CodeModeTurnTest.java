package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.audit.AuditReader;
import dev.lathe.core.mcp.CodeModeTools;
import dev.lathe.core.mcp.McpExtensionTools;
import dev.lathe.core.mcp.ToolAllowance;
import dev.lathe.core.mcp.ProjectMcpServers;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.ToolSpec;
import dev.lathe.mcp.McpOptions;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code Mode in a real turn (DESIGN §28): a real MCP server process with 40 tools in Code Mode is offered as
 * {@code mcp_search} and {@code mcp_execute} from the first request, none of its schemas in the prefix; one
 * {@code mcp_execute} runs two of its tools through the tool pipeline, a PreToolUse hook blocking a third; a tool the config denies is denied inside the
 * script with the gate's reason (and never runs: its file is not written); an escape fails and the turn goes on.
 */
class CodeModeTurnTest {
    @TempDir Path tmp;

    @Test
    void aFortyToolServerInCodeModeRunsThroughSearchAndExecuteInOneTurn() throws Exception {
        Path server = Path.of(CodeModeTurnTest.class.getResource("/dev/lathe/core/mcp/forty-tools.js").toURI());
        var spec = new McpServerSpec.Local("ft", List.of("node", server.toString()), Map.of(), McpServerSpec.Activation.ENABLED,
                Duration.ofSeconds(30), McpServerSpec.Offer.CODE_MODE);
        // wired as McpWiring wires them: the registry of running servers first, whose entries say which are in Code Mode
        var running = ProjectMcpServers.registry();
        var mcp = new McpExtensionTools(ToolAllowance.fixed(100_000, t -> 10), running::client, running::starting, running::codeMode);
        var servers = new ProjectMcpServers(tmp.resolve("state"), McpOptions.Backoff.DEFAULT, running, mcp, Optional.empty());
        Path hook = Files.createDirectories(tmp.resolve("hooks")).resolve("no-fillers.sh");
        Files.writeString(hook, "#!/bin/bash\necho 'no fillers in scripts' >&2\nexit 2\n");
        hook.toFile().setExecutable(true);
        String config = ", \"permission\": {\"ft_echo\": \"allow\", \"ft_add\": \"allow\", \"ft_filler_07\": \"allow\", \"ft_write_note\": \"deny\"}"
                + ", \"hooks\": {\"PreToolUse\": [{\"matcher\": \"ft_filler_07\", \"hooks\": [{\"type\": \"command\", \"command\": \"" + hook + "\"}]}]}";
        try (var h = new Harness(tmp, config, ToolRegistry.builtins(), CodeModeTools.over(mcp, mcp, System.getenv())).trustProject()) {
            servers.open(h.project, Map.of("ft", spec), System.getenv());
            Path note = h.project.resolve("note.txt");
            var s = h.session();
            h.llm.then(McpToolTurnTest.calling("c1", "mcp_search", "{\"query\":\"ft_add ft_echo\"}"));
            h.llm.then(McpToolTurnTest.calling("c2", "mcp_execute", json("const e = await tools.ft_echo({message: 'hi'});"
                    + " const s = await tools.ft_add({a: 2, b: 3}); let f; try { f = await tools.ft_filler_07({}); } catch (x) { f = x.message; }"
                    + " return {e, sum: s.sum, f};")));
            h.llm.then(McpToolTurnTest.calling("c3", "mcp_execute", json("try { await tools.ft_write_note({path: '" + note
                    + "', text: 'x'}); return 'written'; } catch (e) { return 'refused: ' + e.message; }")));
            h.llm.then(McpToolTurnTest.calling("c4", "mcp_execute", json("require('fs').writeFileSync('" + note + "', 'x');")));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "use the forty tools");

            List<ToolSpec> first = h.llm.requests.getFirst().tools();
            assertThat(first).extracting(ToolSpec::name).contains("mcp_search", "mcp_execute").noneMatch(n -> n.startsWith("ft_"))
                    .doesNotContain("tool_search");
            String prefix = String.join("\n", h.llm.requests.getFirst().system()) + first;
            assertThat(prefix).as("no tool schema or description of the server in the prefix").doesNotContain("zebra-", "Echoes the message", "ft_");
            assertThat(h.llm.requests).allSatisfy(r -> assertThat(r.tools()).isEqualTo(first));

            assertThat(output(h, s.id(), "c1")).contains("<tool name=\"ft_add\">", "input schema: {", "<tool name=\"ft_echo\">").doesNotContain("zebra-");
            assertThat(output(h, s.id(), "c2")).contains("\"e\": \"Echo: hi\"", "\"sum\": 5", "no fillers in scripts").doesNotContain("ft_filler_07 ran");
            assertThat(output(h, s.id(), "c3")).startsWith("refused: permission denied for ft_write_note: ");
            assertThat(note).as("the denied tool never ran").doesNotExist();
            assertThat(call(h, s.id(), "c4").state()).isInstanceOfSatisfying(ToolState.Failed.class,
                    f -> assertThat(f.error()).contains("The script failed: ReferenceError: require is not defined"));
            assertThat(note).doesNotExist();
            assertThat(h.llm.requests).as("the turn went on after each call").hasSize(5);
            // each call of a script is audited as a direct call is: the tool's own name, under the mcp_execute call's id
            var entries = new AuditReader(h.auditFiles, h.project).human(Optional.of(s.id().value()));
            assertThat(entries).anySatisfy(l -> assertThat(l).contains("call c2 ft_echo (").contains("completed"));
            assertThat(entries).anySatisfy(l -> assertThat(l).contains("call c2 ft_add (").contains("completed"));
            assertThat(entries).anySatisfy(l -> assertThat(l).contains("decision c3 ft_write_note").contains("deny by rule"));
            assertThat(entries).anySatisfy(l -> assertThat(l).contains("call c3 ft_write_note (").contains("rejected"));
        } finally {
            servers.close();
        }
    }

    private static String json(String code) {
        return WireJson.mapper().createObjectNode().put("code", code).toString();
    }

    private static Part.Tool call(Harness h, SessionId session, String callId) {
        return h.api.messages(session).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .filter(t -> t.callId().equals(callId)).findFirst().orElseThrow();
    }

    private static String output(Harness h, SessionId session, String callId) {
        var state = call(h, session, callId).state();
        assertThat(state).as(callId).isInstanceOf(ToolState.Completed.class);
        return ((ToolState.Completed) state).output();
    }
}
