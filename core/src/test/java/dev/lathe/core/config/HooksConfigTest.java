package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.hooks.Hook;
import dev.lathe.core.hooks.HookEvent;
import dev.lathe.core.hooks.HookHandler;
import dev.lathe.core.hooks.HookSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hooks} in lathe.json, Claude Code's and Codex's settings files: binding, sources, errors, folder trust. */
class HooksConfigTest {
    @TempDir Path tmp;
    private Path project;
    private Map<String, String> env;
    private ConfigLoader loader;

    @BeforeEach
    void setUp() throws IOException {
        project = Files.createDirectories(tmp.resolve("proj"));
        env = new HashMap<>(Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(),
                "XDG_DATA_HOME", tmp.resolve("data").toString(), "HOME", tmp.resolve("home").toString()));
        loader = new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json"));
    }

    private void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private void trust() {
        dev.lathe.core.info.TrustReview.approve(ConfigLoader.standard(LathePaths.fromEnvironment(env), env), project);
    }

    private static List<String> summary(Config config) {
        return config.hooks().stream().map(h -> h.event().wire() + " " + h.matcher().written() + " " + h.handler().shown() + " "
                + h.source().file() + " " + h.source().dialect()).toList();
    }

    @Test
    void everySourceAddsItsHooksWithItsFileAndDialect() throws IOException {
        write(tmp.resolve("xdg-config/lathe/lathe.json"), """
                { "hooks": { "Stop": [ { "hooks": [ { "type": "command", "command": "notify-send done" } ] } ] } }
                """);
        write(project.resolve("lathe.json"), """
                { "hooks": { "PreToolUse": [ { "matcher": "bash", "hooks": [ { "type": "command", "command": "./guard.sh", "timeout": 5 } ] } ] } }
                """);
        write(project.resolve(".claude/settings.json"), """
                { "permissions": { "allow": ["Bash(ls)"] }, "model": "opus",
                  "hooks": { "PostToolUse": [ { "matcher": "Edit|Write", "hooks": [ { "type": "command", "command": "fmt" } ] } ],
                             "ConfigChange": [ { "hooks": [ { "type": "command", "command": "ignored-event" } ] } ] } }
                """);
        write(project.resolve(".claude/settings.local.json"), """
                { "hooks": { "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "prompt", "prompt": "skipped type" },
                    { "type": "command", "command": "${CLAUDE_PROJECT_DIR}/check", "args": ["--strict"] } ] } ] } }
                """);
        write(project.resolve(".codex/hooks.json"), """
                { "hooks": { "UserPromptSubmit": [ { "hooks": [ { "type": "command", "command": "python3 .codex/p.py" } ] } ] } }
                """);
        write(tmp.resolve("home/.claude/settings.json"), """
                { "hooks": { "Notification": [ { "matcher": "", "hooks": [ { "type": "http", "url": "http://127.0.0.1:9/n",
                    "headers": { "Authorization": "Bearer $TOKEN" }, "allowedEnvVars": ["TOKEN"] } ] } ] } }
                """);

        trust();
        Config config = loader.load(project);

        String global = tmp.resolve("xdg-config/lathe/lathe.json").toString();
        assertThat(summary(config)).containsExactly(
                "Stop  notify-send done " + global + " LATHE",
                "PreToolUse bash ./guard.sh lathe.json LATHE",
                "Notification  http://127.0.0.1:9/n " + tmp.resolve("home/.claude/settings.json") + " CLAUDE_CODE",
                "PostToolUse Edit|Write fmt .claude/settings.json CLAUDE_CODE",
                "PreToolUse Bash ${CLAUDE_PROJECT_DIR}/check --strict .claude/settings.local.json CLAUDE_CODE",
                "UserPromptSubmit  python3 .codex/p.py .codex/hooks.json CLAUDE_CODE");
        assertThat(config.hooks().get(1).handler()).isEqualTo(new HookHandler.Command("./guard.sh", List.of(), HookHandler.Command.Form.SHELL,
                Duration.ofSeconds(5)));
        assertThat(config.hooks().get(2).handler()).isEqualTo(new HookHandler.Http(URI.create("http://127.0.0.1:9/n"),
                Map.of("Authorization", "Bearer $TOKEN"), List.of("TOKEN"), Duration.ofSeconds(600)));
        assertThat(config.hooks().get(4).handler()).isEqualTo(new HookHandler.Command("${CLAUDE_PROJECT_DIR}/check", List.of("--strict"),
                HookHandler.Command.Form.EXEC, Duration.ofSeconds(600)));
        assertThat(config.hooks().get(5).handler().timeout()).as("UserPromptSubmit's default").isEqualTo(Duration.ofSeconds(30));
        assertThat(loader.files(project)).contains(project.resolve(".claude/settings.json"), project.resolve(".codex/hooks.json"),
                tmp.resolve("home/.claude/settings.json"));
    }

    @Test
    void anUntrustedFolderWithholdsItsHooksWithOneWarningPerFileButTheUsersOwnRun() throws IOException {
        write(project.resolve("lathe.json"), """
                { "hooks": { "PreToolUse": [ { "matcher": "bash", "hooks": [ { "type": "command", "command": "curl evil" } ] } ] } }
                """);
        write(project.resolve(".claude/settings.json"), """
                { "hooks": { "PostToolUse": [ { "matcher": "Edit", "hooks": [ { "type": "command", "command": "x" } ] },
                                              { "hooks": [ { "type": "command", "command": "y" } ] } ] } }
                """);
        write(tmp.resolve("home/.claude/settings.json"), """
                { "hooks": { "Stop": [ { "hooks": [ { "type": "command", "command": "mine" } ] } ] } }
                """);

        Config config = loader.load(project);

        assertThat(summary(config)).containsExactly("Stop  mine " + tmp.resolve("home/.claude/settings.json") + " CLAUDE_CODE");
        assertThat(config.withheld()).extracting(w -> w.kind().id() + " " + w.source() + " " + w.items()).containsExactly(
                "hooks lathe.json [PreToolUse bash]", "hooks .claude/settings.json [PostToolUse Edit, PostToolUse]");
        assertThat(config.withheld().get(1).message()).isEqualTo("skipped 2 hooks from .claude/settings.json (run lathe trust to allow them)");
    }

    @Test
    void badEntriesNameTheFileLineAndKey() throws IOException {
        Path settings = project.resolve(".claude/settings.json");
        write(settings, """
                {
                  "hooks": {
                    "PreToolUse": [
                      { "matcher": "Bash(", "hooks": [ { "type": "command", "command": "x" } ] }
                    ]
                  }
                }
                """);
        trust(); // what is approved is validated
        assertThatThrownBy(() -> loader.load(project)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(settings + ":4: hooks.PreToolUse[0].matcher: not a valid regular expression");

        write(settings, """
                { "hooks": {
                    "PreToolUs": [ ] } }
                """);
        trust(); // what is approved is validated
        assertThatThrownBy(() -> loader.load(project)).hasMessage(settings + ":2: hooks.PreToolUs: unknown hook event (did you mean PreToolUse?)");

        write(settings, """
                { "hooks": { "Stop": [ { "hooks": [
                    { "type": "command", "command": "x", "timeout": -1 } ] } ] } }
                """);
        trust(); // what is approved is validated
        assertThatThrownBy(() -> loader.load(project)).hasMessage(settings + ":2: hooks.Stop[0].hooks[0].timeout: expected a positive number of seconds");

        write(settings, """
                { "hooks": { "Stop": [ { "hooks": [
                    { "type": "command", "command": "x", "onFailure": "deny" } ] } ] } }
                """);
        trust(); // what is approved is validated
        assertThatThrownBy(() -> loader.load(project)).hasMessage(settings
                + ":2: hooks.Stop[0].hooks[0].onFailure: expected \"block\" (a failed hook blocks the action) or \"continue\"");
        write(settings, """
                { "hooks": { "PreToolUse": [ { "hooks": [
                    { "type": "command", "command": "./guard.sh", "timeout": 5, "onFailure": "block" },
                    { "type": "command", "command": "./log.sh", "onFailure": "continue" }, { "type": "command", "command": "./plain.sh" } ] } ] } }
                """);
        trust();
        assertThat(loader.load(project).hooks().stream().filter(h -> h.source().file().equals(".claude/settings.json")).map(h -> h.onFailure()))
                .containsExactly(dev.lathe.core.hooks.Hook.OnFailure.BLOCK, dev.lathe.core.hooks.Hook.OnFailure.CONTINUE,
                        dev.lathe.core.hooks.Hook.OnFailure.CONTINUE);

        Files.delete(settings);
        write(project.resolve("lathe.json"), """
                { "hooks": { "Stop": [ { "hooks": [
                    { "type": "http", "url": "ftp://x" } ] } ] } }
                """);
        trust(); // what is approved is validated
        assertThatThrownBy(() -> loader.load(project))
                .hasMessage(project.resolve("lathe.json") + ":2: hooks.Stop[0].hooks[0].url: expected an http:// or https:// URL");
    }

    @Test
    void matchersReadAsClaudeCodeReadsThem() {
        var all = dev.lathe.core.hooks.HookMatcher.parse("*");
        var names = dev.lathe.core.hooks.HookMatcher.parse("Edit|Write");
        var regex = dev.lathe.core.hooks.HookMatcher.parse("mcp__.*");
        assertThat(all.matches("anything")).isTrue();
        assertThat(dev.lathe.core.hooks.HookMatcher.parse("").matches("Bash")).isTrue();
        assertThat(names.matches("Edit")).isTrue();
        assertThat(names.matches("Write")).isTrue();
        assertThat(names.matches("MultiEdit")).as("exact names, not a regex").isFalse();
        assertThat(dev.lathe.core.hooks.HookMatcher.parse("Bash, Read").matches("Read")).isTrue();
        assertThat(regex.matches("mcp__memory__create")).isTrue();
        assertThat(regex.matches("Bash")).isFalse();
        assertThat(dev.lathe.core.hooks.HookMatcher.parse("^Notebook").matches("NotebookEdit")).as("unanchored").isTrue();
        assertThat(Hook.class).isNotNull();
        assertThat(HookEvent.of("PreToolUse")).contains(HookEvent.PRE_TOOL_USE);
        assertThat(HookSource.Dialect.values()).hasSize(2);
    }
}
