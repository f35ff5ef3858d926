package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.claudeplugin.PluginHooks;
import dev.lathe.llm.Protocols;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.SkillInfo;
import dev.lathe.protocol.session.Session;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Claude Code plugin folder, written as Claude Code documents it, loaded unchanged by the real core: its commands run
 * as custom commands ({@code /acme:hello}), its agent runs as a subagent, its skill is listed and loaded, its MCP
 * server joins the configuration, and its hooks reach the hook engine's handoff with their source.
 */
class ClaudePluginTest {
    @TempDir Path tmp;

    /** The example plugin of docs/extending.md, exactly as users read it. */
    static final Path EXAMPLE = Path.of("../docs/examples/claude-plugin/acme");

    /**
     * Copies the example plugin {@code acme} to {@code at} (its scripts stay executable), adds an MCP server to it, and
     * returns its folder.
     */
    static Path writePlugin(Path at) throws Exception {
        Path root = Files.createDirectories(at);
        try (var files = Files.walk(EXAMPLE)) {
            for (Path from : files.filter(Files::isRegularFile).toList()) {
                Path to = root.resolve(EXAMPLE.relativize(from).toString());
                Files.createDirectories(to.getParent());
                Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        write(root.resolve(".mcp.json"), """
                {"mcpServers": {"tracker": {"command": "${CLAUDE_PLUGIN_ROOT}/bin/tracker", "args": ["--stdio"], "env": {"LEVEL": "debug"}}}}
                """);
        return root;
    }

    static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private Harness harness(FakeLlm llm, String extra) throws Exception {
        String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}" + extra + "}";
        return new Harness(tmp, config, 20, Protocols.standard(HttpClient.newHttpClient()));
    }

    @Test
    void everyPartOfAPluginNamedInTheConfigLoadsAndWorks() throws Exception {
        Path plugin = writePlugin(tmp.resolve("plugins/acme"));
        try (var llm = FakeLlm.start(); var h = harness(llm, ", \"plugins\": [\"" + plugin + "\"]")) {
            String dir = h.project.toString();

            // commands, namespaced as Claude Code does, the manifest's extra path besides the default folder
            assertThat(h.api.commands(dir)).contains(
                    new CommandInfo("acme:hello", "Greet someone", plugin.resolve("commands/hello.md").toString()),
                    new CommandInfo("acme:ship", "Ship version $1 now.", plugin.resolve("extra/ship.md").toString()));
            llm.enqueue(Turn.of(Step.text("Hello sent.")));
            Session s = h.session();
            h.api.command(s.id(), new CommandRequest("acme:hello", "Ada"));
            h.awaitIdle(s.id());
            assertThat(llm.requests().getLast().lastUserText())
                    .startsWith("/acme:hello Ada\n").contains("Say hello to Ada, using the notes in " + plugin + "/notes.md.\n");

            // the skill is listed and its body loads through the skill tool
            assertThat(h.api.skills(dir)).contains(new SkillInfo("acme:checklist", "The release checklist of Acme projects",
                    plugin.resolve("skills/checklist/SKILL.md").toString()));
            llm.enqueue(Turn.of(Step.toolCall("k1", "skill", "{\"name\":\"acme:checklist\"}")).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("Checked.")));
            h.promptAndWait(s.id(), "what is the checklist?");
            assertThat(llm.requests().getLast().toolResult("k1")).hasValueSatisfying(r -> assertThat(r).contains("ACME-CHECKLIST"));
            assertThat(llm.requests().getLast().system()).contains("- acme:checklist: The release checklist of Acme projects");

            // the agent is listed and runs as a subagent with its prompt, the plugin root expanded
            assertThat(h.api.agents(dir)).anySatisfy(a -> {
                assertThat(a.name()).isEqualTo("acme:reviewer");
                assertThat(a.description()).isEqualTo("Reviews a change for bugs");
                assertThat(a.mode()).isEqualTo("subagent");
            });
            llm.respondWith(r -> {
                if (r.system().contains("ACME-REVIEWER")) return Turn.of(Step.text("CHILD: no bugs."));
                return r.toolResult("t1").isEmpty()
                        ? Turn.of(Step.toolCall("t1", "task", "{\"description\":\"Review\",\"prompt\":\"Review a.txt\",\"agent\":\"acme:reviewer\"}"))
                                .finish("tool_calls")
                        : Turn.of(Step.text("PARENT-DONE"));
            });
            h.promptAndWait(s.id(), "review it");
            List<RecordedRequest> child = llm.requests().stream().filter(r -> r.system().contains("ACME-REVIEWER")).toList();
            assertThat(child).isNotEmpty();
            assertThat(child.getFirst().system()).contains("the checklist is at " + plugin + "/checklist.md");
            assertThat(child.getFirst().toolNames()).contains("read", "grep").doesNotContain("bash", "edit");
            assertThat(llm.requests().getLast().toolResult("t1")).hasValueSatisfying(r -> assertThat(r).contains("CHILD: no bugs."));

            // the MCP server joins the config under Claude Code's plugin prefix, the plugin root expanded and in its environment
            var project = h.projects.get(dir);
            assertThat(project.config().mcp()).containsKey("plugin_acme_tracker");
            var tracker = (McpServerSpec.Local) project.config().mcp().get("plugin_acme_tracker");
            assertThat(tracker.command()).containsExactly(plugin + "/bin/tracker", "--stdio");
            assertThat(tracker.env()).containsEntry("LEVEL", "debug").containsEntry("CLAUDE_PLUGIN_ROOT", plugin.toString());

            // the hooks, as written, with where they came from, for the hook engine
            List<PluginHooks> hooks = h.projects.plugins(project).hooks();
            assertThat(hooks).singleElement().satisfies(ph -> {
                assertThat(ph.plugin()).isEqualTo("acme");
                assertThat(ph.root()).isEqualTo(plugin);
                assertThat(ph.source()).isEqualTo(plugin.resolve("hooks/hooks.json"));
                assertThat(ph.events()).extracting(PluginHooks.Event::name).containsExactly("PostToolUse", "Stop");
                assertThat(ph.events().getFirst().json()).contains("\"matcher\":\"Edit|Write\"").contains("${CLAUDE_PLUGIN_ROOT}/scripts/fmt.sh");
                assertThat(ph.events().getFirst().line()).isEqualTo(4);
            });

            // ... which the project's hooks include, after its own, in Claude Code's names, and which run from the plugin's folder
            assertThat(project.config().hooks()).filteredOn(hk -> hk.source().pluginRoot().isPresent()).hasSize(2).allSatisfy(hk -> {
                assertThat(hk.source().pluginRoot()).contains(plugin);
                assertThat(hk.source().dialect()).isEqualTo(dev.lathe.core.hooks.HookSource.Dialect.CLAUDE_CODE);
                assertThat(hk.source().file()).isEqualTo(plugin.resolve("hooks/hooks.json").toString());
            });
            var engine = dev.lathe.core.hooks.HookEngine.create(project.config().hooks(), dev.lathe.core.hooks.ClaudeToolNames.BUILTIN_ONLY,
                    h.project, System.getenv(), java.util.Set.of(), HttpClient.newHttpClient(), line -> java.util.Optional.empty());
            var outcome = engine.fire(new dev.lathe.core.hooks.HookInput(
                    new dev.lathe.core.hooks.HookInput.Common(s.id().value(), java.util.Optional.empty(), h.project, "default"),
                    new dev.lathe.core.hooks.HookInput.PostToolUse("edit", "{\"path\":\"a.txt\",\"oldString\":\"a\",\"newString\":\"b\"}",
                            "ok", "c1")));
            assertThat(outcome.runs()).singleElement().satisfies(run -> assertThat(run.exitCode()).contains(0));
            assertThat(Files.readString(plugin.resolve("format.log"))).isEqualTo("formatted " + h.project.resolve("a.txt") + "\n");
        }
    }

    @Test
    void aProjectsOwnPluginsWaitForTrust() throws Exception {
        writePlugin(tmp.resolve("project/tools/acme"));
        try (var llm = FakeLlm.start(); var h = harness(llm, "")) {
            write(h.project.resolve("lathe.json"), "{\"plugins\": [\"tools/acme\"]}");
            String dir = h.project.toString();
            assertThat(h.api.trust(dir).skipped()).singleElement().satisfies(skipped -> {
                assertThat(skipped.kind()).isEqualTo("plugins");
                assertThat(skipped.message()).isEqualTo("skipped 1 Claude Code plugin from lathe.json (run lathe trust to allow it)");
            });
            assertThat(h.api.commands(dir)).extracting(CommandInfo::name).doesNotContain("acme:hello");
            assertThat(h.api.agents(dir)).extracting(AgentInfo::name).doesNotContain("acme:reviewer");

            h.trustProject();
            assertThat(h.api.commands(dir)).extracting(CommandInfo::name).contains("acme:hello", "acme:ship");
            assertThat(h.api.agents(dir)).extracting(AgentInfo::name).contains("acme:reviewer");
            assertThat(h.projects.get(dir).config().mcp()).containsKey("plugin_acme_tracker");
        }
    }
}
