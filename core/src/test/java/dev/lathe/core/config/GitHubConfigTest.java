package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code "github": {"trigger", "allowedBots", "model", "reviewOnOpen"}} (DESIGN §18 "GitHub"): accepted, and a bad value named by file, line and key. */
class GitHubConfigTest {
    @TempDir Path tmp;

    private Config load(Path project) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.toString());
        env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        return new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json")).load(project);
    }

    private Path project(String lathe) throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p" + Math.abs(lathe.hashCode())));
        Files.writeString(project.resolve("lathe.json"), lathe);
        return project;
    }

    @Test
    void theFourKeysAreAccepted() throws IOException {
        assertThatCode(() -> load(project("{\"github\": {\"trigger\": \"/ai\", \"allowedBots\": [\"renovate\"], \"model\": \"anthropic/claude-sonnet-4-5\","
                + " \"reviewOnOpen\": true}}"))).doesNotThrowAnyException();
    }

    @Test
    void aBadValueNamesTheFileLineAndKey() throws IOException {
        Path bot = project("{\n  \"github\": {\n    \"allowedBots\": \"renovate\"\n  }\n}\n");
        assertThatThrownBy(() -> load(bot)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(bot.resolve("lathe.json") + ":3: github.allowedBots: expected an array of strings");
        assertThatThrownBy(() -> load(project("{\"github\": {\"trigger\": \"/la the\"}}"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("github.trigger: expected one word");
        assertThatThrownBy(() -> load(project("{\"github\": {\"reviewOnOpen\": \"yes\"}}"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("github.reviewOnOpen: expected true or false");
        assertThatThrownBy(() -> load(project("{\"github\": {\"trigers\": \"/x\"}}"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("github.trigers: unknown key (expected one of allowedBots, model, reviewOnOpen, trigger)");
    }
}
