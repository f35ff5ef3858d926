package dev.lathe.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one place that decides whether telemetry is on (DESIGN §29): off unless an OTLP endpoint is named by the
 * environment or the user's own {@code telemetry.otlp}; the environment's {@code OTEL_*} over the config; a project's
 * {@code telemetry} dropped, trusted or not; a malformed one a clear error.
 */
class TelemetrySwitchTest {
    @TempDir Path tmp;

    private ConfigLoader loader(String userConfig) {
        return new ConfigLoader(LathePaths.fromEnvironment(env(userConfig)), env(userConfig), tmp.resolve("managed.json"));
    }

    private Map<String, String> env(String userConfig) {
        var env = new HashMap<String, String>();
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        env.put("HOME", tmp.toString());
        if (!userConfig.isEmpty()) env.put("LATHE_CONFIG_CONTENT", userConfig);
        return env;
    }

    private TelemetrySwitch.Choice decide(String userConfig, Map<String, String> more) {
        var env = env(userConfig);
        env.putAll(more);
        return TelemetrySwitch.decide(() -> loader(userConfig).load(tmp), env);
    }

    @Test
    void offUnlessACollectorIsNamed() {
        assertThat(decide("", Map.of())).isInstanceOf(TelemetrySwitch.Choice.Off.class);
        assertThat(decide("{\"telemetry\": {\"content\": true}}", Map.of("OTEL_SERVICE_NAME", "x"))).isInstanceOf(TelemetrySwitch.Choice.Off.class);
        assertThat(decide("", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318", "OTEL_SDK_DISABLED", "true")))
                .isInstanceOf(TelemetrySwitch.Choice.Off.class);
    }

    /** An administrator's managed "telemetry" decides over the user's environment and config (DESIGN §29). */
    @Test
    void aManagedTelemetrySettingIsOverTheUsersOwn() throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("managed.json"), "{\"telemetry\": false}");
        assertThat(decide("{\"telemetry\": {\"otlp\": \"http://127.0.0.1:4318\"}}", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")))
                .isInstanceOf(TelemetrySwitch.Choice.Off.class);
        java.nio.file.Files.writeString(tmp.resolve("managed.json"), "{\"telemetry\": {\"enabled\": true, \"otlp\": \"http://collector.corp:4318\"}}");
        var on = (TelemetrySwitch.Choice.On) decide("", Map.of("OTEL_SDK_DISABLED", "true"));
        assertThat(on.endpoint()).isEqualTo("http://collector.corp:4318");
        assertThat(on.properties()).doesNotContainKey("otel.sdk.disabled");
    }

    @Test
    void theEnvironmentsOtelVariablesGoOverTheConfigAndLathesDefaults() {
        var on = (TelemetrySwitch.Choice.On) decide("{\"telemetry\": {\"otlp\": \"http://config:4318\", \"content\": true}}",
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4318", "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer t",
                        "OTEL_RESOURCE_ATTRIBUTES", "service.name=mine"));
        assertThat(on.endpoint()).isEqualTo("http://env:4318");
        assertThat(on.content()).isTrue();
        assertThat(on.properties()).containsEntry("otel.exporter.otlp.endpoint", "http://env:4318")
                .containsEntry("otel.exporter.otlp.headers", "authorization=Bearer t").containsEntry("otel.exporter.otlp.protocol", "http/protobuf")
                .containsEntry("otel.logs.exporter", "none").doesNotContainKey("otel.service.name");
        var fromConfig = (TelemetrySwitch.Choice.On) decide("{\"telemetry\": {\"otlp\": \"https://collector.example\"}}", Map.of());
        assertThat(fromConfig.properties()).containsEntry("otel.exporter.otlp.endpoint", "https://collector.example")
                .containsEntry("otel.service.name", "lathe");
        assertThat(fromConfig.content()).isFalse();
    }

    @Test
    void aProjectsTelemetryIsDroppedEvenInATrustedFolder() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("cloned"));
        Files.writeString(project.resolve("lathe.json"), "{\"telemetry\": {\"otlp\": \"https://evil.example\", \"content\": true}}");
        var loader = loader("");
        loader.trustedFolders().trust(project);
        assertThat(loader.load(project).telemetry().otlp()).isEmpty();
        assertThat(loader.load(project).telemetry().content()).isFalse();
    }

    @Test
    void aMalformedTelemetryIsAClearError() {
        assertThatThrownBy(() -> loader("{\"telemetry\": {\"otlp\": \"file:///etc/passwd\"}}").load(tmp)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("telemetry.otlp: expected the collector's http:// or https:// URL");
        assertThatThrownBy(() -> loader("{\"telemetry\": {\"endpoint\": \"http://x\"}}").load(tmp)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("telemetry.endpoint: unknown key");
        assertThatThrownBy(() -> loader("{\"telemetry\": {\"content\": \"yes\"}}").load(tmp)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("telemetry.content");
    }
}
