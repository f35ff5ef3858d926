package dev.lathe.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.config.ServerEnvironment;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.toolcall.Origin;
import dev.lathe.core.toolcall.PartRecorder;
import dev.lathe.core.toolcall.ToolCall;
import dev.lathe.core.toolcall.ToolCallPipeline;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Claude Code plugin folder the trusted {@code lathe.json} names (outside {@code .lathe/} and {@code .claude/}, inside
 * the project or beside it) is read-only inside real bubblewrap (DESIGN §24): a sandboxed command can neither change
 * its {@code hooks/hooks.json} nor add a {@code .mcp.json}, which the next configuration read would run.
 */
class ConfigNamedPluginTest {
    @TempDir Path tmp;

    @Test
    void aSandboxedCommandCannotWriteAPluginFolderTheConfigNames() throws Exception {
        assumeTrue(Bubblewrap.problem().isEmpty(), () -> "bubblewrap does not work here: " + Bubblewrap.problem().orElseThrow());
        try (var ws = TempWorkspace.createIn(TempWorkspace.outsideTmp(Path.of("target", "sandbox-plugins")))) {
            Path inside = ws.path().resolve("vendor/helper");
            Path beside = ws.path().resolveSibling(ws.path().getFileName() + "-plugin");
            for (Path plugin : List.of(inside, beside)) {
                Files.createDirectories(plugin.resolve(".claude-plugin"));
                Files.createDirectories(plugin.resolve("hooks"));
                Files.writeString(plugin.resolve(".claude-plugin/plugin.json"), "{\"name\": \"" + plugin.getFileName() + "\"}");
                Files.writeString(plugin.resolve("hooks/hooks.json"), "{\"hooks\": {}}");
            }
            ws.initGitRepo();
            ws.write("lathe.json", "{\"sandbox\": \"on\", \"plugins\": [\"vendor/helper\", \"../" + beside.getFileName() + "\"]}");
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
            env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
            var loader = new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json"));
            dev.lathe.core.info.TrustReview.approve(loader, ws.path());
            Config config = loader.load(ws.path());
            assertThat(config.withheld()).isEmpty();
            assertThat(config.plugins()).containsExactlyInAnyOrder(inside, beside);

            var launcher = SandboxLauncher.forSession(config, new ServerEnvironment(env), ws.path(), ws.path(),
                    () -> List.of(new Ruleset(List.of())), "ses_p", dev.lathe.core.permission.DecisionLog.NONE);
            StringBuilder command = new StringBuilder();
            for (Path plugin : List.of(inside, beside)) {
                command.append("echo '{\"hooks\":{\"Stop\":[]}}' > ").append(plugin.resolve("hooks/hooks.json")).append(" || echo HOOKS-REFUSED; ")
                        .append("echo '{}' > ").append(plugin.resolve(".mcp.json")).append(" || echo MCP-REFUSED; ");
            }
            ToolResult r = bash(ws.path(), launcher, command.toString());
            assertThat(r.output().lines().filter(l -> l.endsWith("-REFUSED"))).containsExactly("HOOKS-REFUSED", "MCP-REFUSED", "HOOKS-REFUSED",
                    "MCP-REFUSED");
            for (Path plugin : List.of(inside, beside)) {
                assertThat(plugin.resolve("hooks/hooks.json")).hasContent("{\"hooks\": {}}");
                assertThat(plugin.resolve(".mcp.json")).doesNotExist();
            }
        }
    }

    @Test
    void aPluginFolderTheConfigNamesThatDoesNotExistYetCannotBeMadeByASandboxedCommand() throws Exception {
        assumeTrue(Bubblewrap.problem().isEmpty(), () -> "bubblewrap does not work here: " + Bubblewrap.problem().orElseThrow());
        try (var ws = TempWorkspace.createIn(TempWorkspace.outsideTmp(Path.of("target", "sandbox-plugins")))) {
            ws.write("a.txt", "a\n").initGitRepo();
            ws.write("lathe.json", "{\"sandbox\": \"on\"}");
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
            env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
            Config config = new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json")).load(ws.path());
            // named by the trusted config, made by nobody yet: two folders on the way do not exist
            Path later = ws.path().resolve("vendor/later/helper");
            var layout = SandboxLayout.of(ws.path(), ws.path(), List.of(), List.of(later), env);
            var launcher = new SandboxLauncher(config.sandbox(), layout, () -> List.of(new Ruleset(List.of())), "ses_p",
                    dev.lathe.core.permission.DecisionLog.NONE);
            ToolResult r = bash(ws.path(), launcher, "mkdir -p " + later.resolve("hooks") + " && echo '{\"hooks\":{}}' > " + later.resolve("hooks/hooks.json")
                    + " || echo PLANT-REFUSED; mkdir -p " + ws.path().resolve("other") + " && echo OTHER-MADE");
            assertThat(r.output()).contains("PLANT-REFUSED").contains("OTHER-MADE");
            assertThat(later.resolve("hooks/hooks.json")).doesNotExist();
            // the stand-in is taken away when bubblewrap has exited (its exit handler, a moment after the tool's result)
            for (int i = 0; i < 50 && Files.exists(ws.path().resolve("vendor")); i++) Thread.sleep(100);
            assertThat(ws.path().resolve("vendor")).as("the stand-in is gone after the command").doesNotExist();
        }
    }

    private ToolResult bash(Path project, SandboxLauncher launcher, String command) {
        var ctx = ToolContext.builder(project, Permissions.ALLOW_ALL).session("ses_p").call("call_x").output(tmp.resolve("out")).launcher(launcher)
                .build();
        return new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT).run(ToolCall.of("bash",
                "{\"command\":" + dev.lathe.protocol.wire.WireJson.write(command) + ",\"timeout\":60000}", ctx, Origin.MODEL), PartRecorder.NONE);
    }
}
