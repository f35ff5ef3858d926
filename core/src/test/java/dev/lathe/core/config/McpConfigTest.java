package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.mcp.McpServerSpec;
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

/** {@code mcp} in lathe.json and a project's {@code .mcp.json}: binding, validation errors, folder trust. */
class McpConfigTest {
    @TempDir Path tmp;
    private Path project;
    private Map<String, String> env;
    private ConfigLoader loader;

    @BeforeEach
    void setUp() throws IOException {
        project = Files.createDirectories(tmp.resolve("proj"));
        env = new HashMap<>(Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(),
                "XDG_DATA_HOME", tmp.resolve("data").toString(), "HOME", tmp.toString()));
        loader = new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json"));
    }

    private void global(String json) throws IOException {
        Path file = tmp.resolve("xdg-config/lathe/lathe.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
    }

    private void trust() {
        dev.lathe.core.info.TrustReview.approve(ConfigLoader.standard(LathePaths.fromEnvironment(env), env), project);
    }

    @Test
    void globalEntriesBindToLocalAndRemoteSpecs() throws IOException {
        global("""
                { "mcp": {
                    "files": { "type": "local", "command": ["npx", "-y", "fs-server", "/tmp"], "env": {"A": "1"}, "timeout": 5000 },
                    "docs": { "type": "remote", "url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer x"},
                              "oauth": false, "enabled": false } } }
                """);
        Config config = loader.load(project);
        assertThat(config.mcp()).containsOnlyKeys("files", "docs");
        assertThat(config.mcp().get("files")).isEqualTo(new McpServerSpec.Local("files", List.of("npx", "-y", "fs-server", "/tmp"),
                Map.of("A", "1"), McpServerSpec.Activation.ENABLED, Duration.ofSeconds(5)));
        assertThat(config.mcp().get("docs")).isEqualTo(new McpServerSpec.Remote("docs", URI.create("https://mcp.example.com/mcp"),
                Map.of("Authorization", "Bearer x"), McpServerSpec.OAuth.OFF, McpServerSpec.Activation.DISABLED,
                McpServerSpec.DEFAULT_TIMEOUT));
    }

    @Test
    void aRemoteEntrysOAuthObjectBindsItsClientScopeAndDocument() throws IOException {
        global("""
                { "mcp": {
                    "plain": { "type": "remote", "url": "https://a.example.com/mcp" },
                    "preset": { "type": "remote", "url": "https://b.example.com/mcp",
                                "oauth": { "clientId": "lathe-cli", "clientSecret": "s3cr3t-value", "scope": "read write",
                                           "clientMetadataDocument": "https://lathe.dev/oauth/client.json",
                                           "issuer": "https://login.b.example.com" } } } }
                """);
        Config config = loader.load(project);
        assertThat(((McpServerSpec.Remote) config.mcp().get("plain")).oauth()).isEqualTo(McpServerSpec.OAuth.AUTOMATIC);
        var preset = ((McpServerSpec.Remote) config.mcp().get("preset")).oauth();
        assertThat(preset).isEqualTo(new McpServerSpec.OAuth.Automatic(java.util.Optional.of("lathe-cli"),
                java.util.Optional.of("s3cr3t-value"), java.util.Optional.of("read write"),
                java.util.Optional.of(URI.create("https://lathe.dev/oauth/client.json")), java.util.Optional.of(URI.create("https://login.b.example.com"))));
        assertThat(preset.toString()).doesNotContain("s3cr3t-value");
    }

    @Test
    void codeModeIsASwitchBesideTheServersThatEachServerMayOverride() throws IOException {
        global("""
                { "mcp": { "codeMode": true,
                    "big": { "type": "local", "command": ["big-server"] },
                    "small": { "type": "local", "command": ["small-server"], "codeMode": false },
                    "docs": { "type": "remote", "url": "https://mcp.example.com/mcp" } } }
                """);
        Config config = loader.load(project);
        assertThat(config.mcp()).containsOnlyKeys("big", "small", "docs");
        assertThat(config.mcp().get("big").offer()).isEqualTo(McpServerSpec.Offer.CODE_MODE);
        assertThat(config.mcp().get("small").offer()).isEqualTo(McpServerSpec.Offer.DIRECT);
        assertThat(config.mcp().get("docs").offer()).isEqualTo(McpServerSpec.Offer.CODE_MODE);
        global("{ \"mcp\": { \"one\": { \"type\": \"local\", \"command\": [\"s\"], \"codeMode\": true }, \"two\": { \"type\": \"local\", \"command\": [\"t\"] } } }");
        assertThat(loader.load(project).mcp().get("one").offer()).isEqualTo(McpServerSpec.Offer.CODE_MODE);
        assertThat(loader.load(project).mcp().get("two").offer()).isEqualTo(McpServerSpec.Offer.DIRECT);
    }

    @Test
    void aServerNamedCodeModeIsAnErrorNamingFileLineAndKey() throws IOException {
        Path file = tmp.resolve("xdg-config/lathe/lathe.json");
        global("{\n  \"mcp\": {\n    \"codeMode\": { \"type\": \"local\", \"command\": [\"s\"] } } }\n");
        assertThatThrownBy(() -> loader.load(project)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3: mcp.codeMode: reserved for Code Mode (true or false): no MCP server may be named codeMode");
        global("{\n  \"mcp\": {\n    \"s\": { \"type\": \"local\", \"command\": [\"s\"],\n      \"codeMode\": \"yes\" } } }\n");
        assertThatThrownBy(() -> loader.load(project)).hasMessage(file + ":4: mcp.s.codeMode: expected true or false");
    }

    @Test
    void badOAuthKeysNameFileLineAndKey() throws IOException {
        Path file = tmp.resolve("xdg-config/lathe/lathe.json");
        global("{\n  \"mcp\": {\n    \"r\": { \"type\": \"remote\", \"url\": \"https://h/mcp\",\n      \"oauth\": { \"clientID\": \"x\" } } } }\n");
        assertThatThrownBy(() -> loader.load(project)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":4: mcp.r.oauth.clientID: unknown key (expected clientId, clientSecret, scope, clientMetadataDocument, issuer)");
        global("{\n  \"mcp\": {\n    \"r\": { \"type\": \"remote\", \"url\": \"https://h/mcp\", \"oauth\": {\n      \"scope\": 3 } } } }\n");
        assertThatThrownBy(() -> loader.load(project)).hasMessage(file + ":4: mcp.r.oauth.scope: expected a string");
        global("{\n  \"mcp\": {\n    \"r\": { \"type\": \"remote\", \"url\": \"https://h/mcp\", \"oauth\": {\n      \"clientMetadataDocument\": \"http://h/c.json\" } } } }\n");
        assertThatThrownBy(() -> loader.load(project))
                .hasMessage(file + ":4: mcp.r.oauth.clientMetadataDocument: must be an https:// URL with a path");
        global("{\n  \"mcp\": {\n    \"r\": { \"type\": \"remote\", \"url\": \"https://h/mcp\", \"oauth\": {\n      \"clientSecret\": \"abc\" } } } }\n");
        assertThatThrownBy(() -> loader.load(project)).hasMessage(file + ":4: mcp.r.oauth.clientSecret: a client secret needs its clientId");
        global("{\n  \"mcp\": {\n    \"r\": { \"type\": \"remote\", \"url\": \"https://h/mcp\",\n      \"oauth\": true } } }\n");
        assertThatThrownBy(() -> loader.load(project)).hasMessage(file + ":4: mcp.r.oauth: expected false or an object");
    }

    @Test
    void badEntriesNameFileLineAndKey() throws IOException {
        Path file = tmp.resolve("xdg-config/lathe/lathe.json");
        global("{\n  \"mcp\": {\n    \"x\": { \"type\": \"local\",\n      \"command\": \"npx server\" } } }\n");
        assertThatThrownBy(() -> loader.load(project)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":4: mcp.x.command: expected an array of strings");
        global("{\n  \"mcp\": {\n    \"y\": { \"type\": \"remote\",\n      \"url\": \"ftp://host\" } } }\n");
        assertThatThrownBy(() -> loader.load(project)).hasMessage(file + ":4: mcp.y.url: must be an http:// or https:// URL");
        global("{\n  \"mcp\": {\n    \"z\": { \"type\": \"local\", \"command\": [\"a\"],\n      \"url\": \"http://h\" } } }\n");
        assertThatThrownBy(() -> loader.load(project)).hasMessage(file + ":4: mcp.z.url: only a remote server has a url");
        global("{ \"mcp\": { \"w\": { \"command\": [\"a\"] } } }");
        assertThatThrownBy(() -> loader.load(project)).hasMessageContaining("mcp.w: missing type");
    }

    @Test
    void aProjectsServersStartOnlyInATrustedFolder() throws IOException {
        Files.writeString(project.resolve("lathe.json"), """
                { "mcp": { "mine": { "type": "local", "command": ["./server"] } } }
                """);
        Files.writeString(project.resolve(".mcp.json"), """
                { "mcpServers": {
                    "fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."], "env": {"K": "v"} },
                    "web": { "type": "http", "url": "http://127.0.0.1:9/mcp", "headers": {"X": "y"} },
                    "mine": { "command": "other" } } }
                """);
        Config untrusted = loader.load(project);
        assertThat(untrusted.mcp()).isEmpty();
        assertThat(untrusted.withheld()).extracting(w -> w.kind().id() + " " + w.source() + " " + w.items())
                .containsExactly("mcp-servers lathe.json [mine]", "mcp-servers .mcp.json [fs, web, mine]");

        trust();
        Config trusted = loader.load(project);
        assertThat(trusted.withheld()).isEmpty();
        assertThat(trusted.mcp()).containsOnlyKeys("mine", "fs", "web");
        assertThat(((McpServerSpec.Local) trusted.mcp().get("mine")).command()).containsExactly("./server");
        assertThat(trusted.mcp().get("fs")).isEqualTo(new McpServerSpec.Local("fs",
                List.of("npx", "-y", "@modelcontextprotocol/server-filesystem", "."), Map.of("K", "v"),
                McpServerSpec.Activation.ENABLED, McpServerSpec.DEFAULT_TIMEOUT));
        assertThat(trusted.mcp().get("web")).isInstanceOfSatisfying(McpServerSpec.Remote.class,
                r -> assertThat(r.url()).isEqualTo(URI.create("http://127.0.0.1:9/mcp")));
    }

    @Test
    void aBadMcpJsonInATrustedFolderNamesFileLineAndKey() throws IOException {
        Files.writeString(project.resolve(".mcp.json"), "{ \"mcpServers\": {\n  \"fs\": {\n    \"args\": [\"x\"] } } }\n");
        trust();
        assertThatThrownBy(() -> loader.load(project)).isInstanceOf(ConfigException.class)
                .hasMessage(project.resolve(".mcp.json") + ":2: mcpServers.fs.command: expected the executable to run");
        Files.writeString(project.resolve(".mcp.json"), "{ \"mcpServers\": {\n  \"codeMode\": { \"command\": \"x\" } } }\n");
        trust();
        assertThatThrownBy(() -> loader.load(project)).isInstanceOf(ConfigException.class).hasMessage(project.resolve(".mcp.json")
                + ":2: mcpServers.codeMode: codeMode is reserved for Lathe's Code Mode switch: give the server another name");
    }

    @Test
    void mcpJsonExpandsVariablesAndDefaultsInCommandArgsEnvUrlAndHeaders() throws IOException {
        env.put("MCP_BIN", "/opt/bin/server");
        env.put("MCP_TOKEN", "tok-123456789");
        env.put("EMPTY", "");
        Files.writeString(project.resolve(".mcp.json"), """
                { "mcpServers": {
                    "fs": { "command": "${MCP_BIN}", "args": ["--root", "${ROOT:-/srv}", "x${EMPTY:-fallback}y"],
                            "env": {"TOKEN": "${MCP_TOKEN}", "PLAIN": "v"} },
                    "web": { "type": "http", "url": "http://${HOST:-127.0.0.1}:9/mcp?key=${MCP_TOKEN}",
                             "headers": {"Authorization": "Bearer ${MCP_TOKEN}"} } } }
                """);
        trust();
        Config config = loader.load(project);
        assertThat(config.mcp().get("fs")).isEqualTo(new McpServerSpec.Local("fs", List.of("/opt/bin/server", "--root", "/srv", "xy"),
                Map.of("TOKEN", "tok-123456789", "PLAIN", "v"), McpServerSpec.Activation.ENABLED, McpServerSpec.DEFAULT_TIMEOUT));
        var web = (McpServerSpec.Remote) config.mcp().get("web");
        assertThat(web.url()).isEqualTo(URI.create("http://127.0.0.1:9/mcp?key=tok-123456789"));
        assertThat(web.headers()).containsEntry("Authorization", "Bearer tok-123456789");
    }

    @Test
    void aMissingVariableWithoutDefaultNamesFileLineKeyAndVariableButNoValue() throws IOException {
        env.put("MCP_TOKEN", "tok-123456789");
        Files.writeString(project.resolve(".mcp.json"), "{ \"mcpServers\": {\n  \"web\": { \"type\": \"http\", \"url\": \"http://h/mcp\",\n"
                + "    \"headers\": {\n      \"Authorization\": \"Bearer ${MCP_TOKEN} ${NOT_SET}\" } } } }\n");
        trust();
        assertThatThrownBy(() -> loader.load(project)).isInstanceOf(ConfigException.class)
                .hasMessage(project.resolve(".mcp.json") + ":4: mcpServers.web.headers.Authorization: ${NOT_SET} is not set"
                        + " (set it, or give a default: ${NOT_SET:-default})")
                .message().doesNotContain("tok-123456789");
        Files.writeString(project.resolve(".mcp.json"), "{ \"mcpServers\": {\n  \"fs\": { \"command\": \"x\",\n"
                + "    \"args\": [\"a\", \"${NOPE}\"] } } }\n");
        trust();
        assertThatThrownBy(() -> loader.load(project)).hasMessageStartingWith(project.resolve(".mcp.json") + ":3: mcpServers.fs.args[1]: ${NOPE} is not set");
        // an invalid URL built from a variable is shown as written, not with the value
        Files.writeString(project.resolve(".mcp.json"), "{ \"mcpServers\": {\n  \"web\": { \"type\": \"http\", \"url\": \"http://h/${MCP_TOKEN} x\" } } }\n");
        trust();
        assertThatThrownBy(() -> loader.load(project)).hasMessageContaining("mcpServers.web.url").message().doesNotContain("tok-123456789");
    }

    @Test
    void anUntrustedMcpJsonIsNotExpandedSoAMissingVariableDoesNotStopLathe() throws IOException {
        Files.writeString(project.resolve(".mcp.json"), "{ \"mcpServers\": { \"fs\": { \"command\": \"${NOT_SET}\" } } }");
        Config config = loader.load(project);
        assertThat(config.mcp()).isEmpty();
        assertThat(config.withheld()).extracting(w -> w.items()).containsExactly(List.of("fs"));
    }

    @Test
    void latheJsonEntriesExpandEnvSubstitutionsInTheCommandEnvUrlAndHeaders() throws IOException {
        env.put("FS_ROOT", "/data");
        env.put("API_KEY", "k-987654321");
        global("""
                { "mcp": {
                    "files": { "type": "local", "command": ["fs-server", "{env:FS_ROOT}"], "env": {"KEY": "{env:API_KEY}"} },
                    "docs": { "type": "remote", "url": "https://mcp.example.com/mcp?key={env:API_KEY}",
                              "headers": {"Authorization": "Bearer {env:API_KEY}"} } } }
                """);
        Config config = loader.load(project);
        assertThat(((McpServerSpec.Local) config.mcp().get("files")).command()).containsExactly("fs-server", "/data");
        assertThat(((McpServerSpec.Local) config.mcp().get("files")).env()).containsEntry("KEY", "k-987654321");
        var docs = (McpServerSpec.Remote) config.mcp().get("docs");
        assertThat(docs.url()).isEqualTo(URI.create("https://mcp.example.com/mcp?key=k-987654321"));
        assertThat(docs.headers()).containsEntry("Authorization", "Bearer k-987654321");
    }
}
