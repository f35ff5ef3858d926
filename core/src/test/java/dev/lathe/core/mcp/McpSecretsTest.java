package dev.lathe.core.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.McpServerStatus;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class McpSecretsTest {
    final McpServerSpec.Remote remote = new McpServerSpec.Remote("docs", URI.create("https://user:pa55word@mcp.example.com/mcp?key=k-1234567&v=2"),
            Map.of("Authorization", "Bearer tok-abcdef", "X-Flag", "1"), McpServerSpec.OAuth.OFF, McpServerSpec.Activation.ENABLED,
            McpServerSpec.DEFAULT_TIMEOUT);

    @Test
    void headerValuesAndTheirWordsUrlUserInfoAndQueryValuesAreMasked() {
        McpSecrets secrets = McpSecrets.of(remote);
        assertThat(secrets.scrub("401 from https://user:pa55word@mcp.example.com/mcp?key=k-1234567&v=2 with tok-abcdef"))
                .isEqualTo("401 from https://***@mcp.example.com/mcp?key=***&v=2 with ***");
        // short values are no secrets: "1" and "2" stay
        assertThat(secrets.scrub("status 1 of 2")).isEqualTo("status 1 of 2");
        assertThat(McpSecrets.shown(remote.url())).isEqualTo("https://mcp.example.com/mcp?…");
        assertThat(McpSecrets.shown(URI.create("http://127.0.0.1:3001/mcp"))).isEqualTo("http://127.0.0.1:3001/mcp");
    }

    @Test
    void aLocalServersEnvironmentValuesAndTheShellsCredentialVariablesAreMasked() {
        var local = new McpServerSpec.Local("gh", List.of("gh-mcp", "--token", "ghp_secretvalue", "--root", "/srv/data"),
                Map.of("GITHUB_PAT", "ghp_other_value"), McpServerSpec.Activation.ENABLED, McpServerSpec.DEFAULT_TIMEOUT);
        McpSecrets secrets = McpSecrets.of(local, Map.of("GH_TOKEN", "ghp_secretvalue", "HOME", "/home/someone"));
        assertThat(secrets.scrub("gh-mcp --token ghp_secretvalue --root /srv/data; env ghp_other_value"))
                .isEqualTo("gh-mcp --token *** --root /srv/data; env ***");
        var status = new McpServerStatus("gh", McpServerStatus.Phase.FAILED, Optional.of("bad token ghp_other_value"), 2, Instant.EPOCH);
        assertThat(McpSecrets.of(local).scrub(status).lastError()).contains("bad token ***");
        assertThat(McpSecrets.of(local).scrub(status).restarts()).isEqualTo(2);
    }
}
