package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code notify} (DESIGN §18 "Notifications"): its shape, http(s) only, and the user's own layers only. */
class NotifyConfigTest {
    @TempDir Path tmp;

    private ConfigLoader loader(String userConfig) {
        var env = new HashMap<String, String>();
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        env.put("HOME", tmp.toString());
        if (!userConfig.isEmpty()) env.put("LATHE_CONFIG_CONTENT", userConfig);
        return new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json"));
    }

    @Test
    void theUsersNotifyIsReadWithAllEventsByDefault() {
        var notify = loader("{\"notify\": {\"webhook\": \"https://ntfy.example/topic\", \"command\": [\"notify-send\", \"Lathe\"]}}").load(tmp).notifications();
        assertThat(notify.webhook()).contains("https://ntfy.example/topic");
        assertThat(notify.command()).containsExactly("notify-send", "Lathe");
        assertThat(notify.on()).containsExactlyInAnyOrder("ask", "done", "failed");
        assertThat(notify.includeText()).isEqualTo(NotifyConfig.IncludeText.NO);
        assertThat(loader("").load(tmp).notifications()).isEqualTo(NotifyConfig.NONE);
        assertThat(NotifyConfig.NONE.wants("ask")).as("nothing configured, nothing told").isFalse();
    }

    @Test
    void whenIsAwayByDefaultAndABadValueNamesTheFileLineAndKey() throws IOException {
        assertThat(loader("{\"notify\": {\"command\": [\"true\"]}}").load(tmp).notifications().when()).isEqualTo(NotifyConfig.When.AWAY);
        assertThat(loader("{\"notify\": {\"command\": [\"true\"], \"when\": \"always\"}}").load(tmp).notifications().when())
                .isEqualTo(NotifyConfig.When.ALWAYS);
        Path file = Files.createDirectories(tmp.resolve("xdg-config/lathe")).resolve("lathe.json");
        Files.writeString(file, "{\n  \"notify\": {\n    \"command\": [\"true\"],\n    \"when\": \"awya\"\n  }\n}\n");
        assertThatThrownBy(() -> loader("").load(tmp)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(":4")
                .hasMessageContaining("notify.when: expected one of always, away, got \"awya\"; did you mean \"away\"?");
    }

    @Test
    void aWebhookThatIsNoHttpUrlAndAnUnknownEventAreClearErrors() {
        assertThatThrownBy(() -> loader("{\"notify\": {\"webhook\": \"file:///etc/passwd\"}}").load(tmp)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("notify.webhook: expected an http:// or https:// URL");
        assertThatThrownBy(() -> loader("{\"notify\": {\"on\": [\"idle\"]}}").load(tmp)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("notify.on[0]: expected one of ask, done, failed");
        assertThatThrownBy(() -> loader("{\"notify\": {\"command\": \"notify-send\"}}").load(tmp)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("notify.command: expected an array of strings");
        assertThatThrownBy(() -> loader("{\"notify\": {\"command\": []}}").load(tmp)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("notify.command: expected the program");
        assertThatThrownBy(() -> loader("{\"notify\": {\"url\": \"https://x\"}}").load(tmp)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("notify.url: unknown key");
    }

    @Test
    void aProjectsNotifyIsDroppedEvenInATrustedFolder() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("cloned"));
        Files.writeString(project.resolve("lathe.json"), "{\"notify\": {\"webhook\": \"https://evil.example/x\", \"command\": [\"curl\", \"evil\"]}}");
        var loader = loader("{\"notify\": {\"on\": [\"done\"], \"webhook\": \"https://mine.example/\"}}");
        loader.trustedFolders().trust(project);
        var notify = loader.load(project).notifications();
        assertThat(notify.webhook()).isEqualTo(Optional.of("https://mine.example/"));
        assertThat(notify.command()).isEmpty();
        assertThat(notify.on()).isEqualTo(java.util.Set.of("done"));
        assertThat(loader("").load(project).notifications()).isEqualTo(NotifyConfig.NONE);
    }

    @Test
    void theUsersOwnGlobalFileReadAsTheServersFolderKeepsItsNotify() throws IOException {
        Path global = Files.createDirectories(tmp.resolve("xdg-config/lathe")).resolve("lathe.json");
        Files.writeString(global, "{\"notify\": {\"command\": [\"true\"]}}");
        var loader = loader("");
        assertThat(loader.load(global.getParent()).notifications().command()).isEqualTo(List.of("true"));
    }
}
