package dev.lathe.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.config.ServerEnvironment;
import dev.lathe.core.permission.DecisionLog;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.Permissions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step's sandbox layout is looked at when its first command launches, not when the step starts: a step that runs no
 * command pays nothing, and what changed on disk between the step's start and its command (a repository made, so
 * {@code .git} is a folder to bind onto itself) is what the command runs under; the launchers of its calls share it.
 */
class StepLayoutTest {
    @TempDir Path tmp;

    @Test
    void theLayoutIsMadeAtTheFirstLaunchAndSeesTheProjectAsItIsThen() throws Exception {
        try (var ws = TempWorkspace.createIn(tmp.resolve("ws"))) {
            ws.write("a.txt", "a\n");
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
            env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
            Config config = new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json")).load(ws.path());
            var launcher = SandboxLauncher.forSession(config, new ServerEnvironment(env), ws.path(), ws.path(), () -> List.of(new Ruleset(List.of())),
                    "ses_l", DecisionLog.NONE);
            var ctx = ToolContext.builder(ws.path(), Permissions.ALLOW_ALL).session("ses_l").call("call_l").output(tmp.resolve("out")).build();
            SandboxLauncher forCall = launcher.forCall(ctx);
            assertThat(launcher.layoutMade()).as("no command launched yet: no layout made").isFalse();
            assertThat(forCall.layoutMade()).isFalse();

            // the repository is made after the step started: the layout binds its .git folder onto itself
            ws.initGitRepo();
            assertThat(forCall.layout().gitDirs()).containsExactly(ws.path().toAbsolutePath().normalize().resolve(".git"));
            assertThat(launcher.layoutMade()).as("the step's launchers share one layout").isTrue();
            assertThat(launcher.layout()).isSameAs(forCall.layout());
        }
    }
}
