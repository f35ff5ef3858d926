package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project's configuration files are anyone's checkout (issue 52): a {@code lathe.json} that is a link to a file
 * outside the project or a hard link of a denied {@code .env}, a FIFO named {@code opencode.json}, a 500 MB
 * {@code lathe.json}. Each is refused by the gateway with an error naming the file, at once (no hang, no heap filled),
 * and the content of the file behind it appears in no error, no layer and no loaded configuration.
 */
class HostileConfigFilesTest {
    /** The content of the file behind the link: valid JSON, so that a parse would take it in. */
    static final String CANARY = "canary-7d41-outside";
    static final String OUTSIDE_JSON = "{\"model\": \"" + CANARY + "/m\", \"instructions\": [\"" + CANARY + "\"]}";

    @TempDir Path tmp;
    Path home;
    Path project;
    Path outside;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux only");
        home = Files.createDirectories(tmp.resolve("home"));
        project = Files.createDirectories(tmp.resolve("project")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("secret.json"), OUTSIDE_JSON);
    }

    private Config load() {
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve(".config").toString());
        return new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json")).load(project);
    }

    private List<ConfigFiles.Layer> doctorLayers() {
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve(".config").toString());
        return ConfigFiles.of(LathePaths.fromEnvironment(env), env, project, tmp.resolve("managed.json"));
    }

    /**
     * While a sandboxed command runs, each guarded config file the project lacks stands as an empty placeholder folder
     * (core.sandbox.Placeholders): a config read meanwhile (a prompt on another session) finds no file, not an error.
     * The gateway's move made each of them "not a regular file" and failed the prompt (CrashLoopIT, TeamServerTakeoverIT).
     */
    @Test
    void aSandboxPlaceholderFolderAtAConfigFilesNameIsNoConfigFile() throws Exception {
        for (String name : List.of("lathe.json", "opencode.json", ".mcp.json", ".claude/settings.json", ".claude/settings.local.json")) {
            Files.createDirectories(project.resolve(name));
        }
        assertThat(load().model()).isEmpty();
        assertThat(doctorLayers()).allSatisfy(layer -> assertThat(layer.problem()).isEmpty());
    }

    @Test
    void aLatheJsonLinkedToAFileOutsideTheProjectIsRefusedAndItsContentNeverRead() throws Exception {
        Files.createSymbolicLink(project.resolve("lathe.json"), outside.resolve("secret.json"));
        assertThatThrownBy(this::load).isInstanceOf(ConfigException.class)
                .hasMessageContaining(project.resolve("lathe.json").toString()).hasMessageContaining("outside")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
        var layer = doctorLayers().getFirst();
        assertThat(layer.problem()).isPresent();
        assertThat(layer.toString()).doesNotContain(CANARY);
    }

    @Test
    void aProjectFileHardLinkedToADeniedEnvIsRefusedAndNoneOfItsTextIsShown() throws Exception {
        // the .env a project's read rules deny; not JSON, so a parse error would quote its first token
        Files.writeString(project.resolve(".env"), "SECRETTOKEN" + CANARY + "=1\n");
        Files.writeString(project.resolve("lathe.json"), "{\"permission\": {\"read\": {\".env\": \"deny\"}}}");
        Files.createLink(project.resolve("opencode.json"), project.resolve(".env"));
        assertThatThrownBy(this::load).isInstanceOf(ConfigException.class)
                .hasMessageContaining(project.resolve("opencode.json").toString()).hasMessageContaining("hard links")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("SECRETTOKEN"));
        assertThat(doctorLayers().toString()).doesNotContain(CANARY).doesNotContain("SECRETTOKEN");
        assertThat(OpenCodeFile.skippedIn(project).toString()).doesNotContain(CANARY);
    }

    @Test
    void aHardLinkOfAFileOutsideTheProjectIsRefusedToo() throws Exception {
        Files.createLink(project.resolve("lathe.json"), outside.resolve("secret.json"));
        assertThatThrownBy(this::load).isInstanceOf(ConfigException.class).hasMessageContaining("hard links")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void aFifoNamedAsAConfigFileIsRefusedAtOnceNotWaitedOn() throws Exception {
        Path fifo = project.resolve("opencode.json");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThatThrownBy(this::load).isInstanceOf(ConfigException.class).hasMessageContaining(fifo.toString())
                    .hasMessageContaining("not a regular file");
            assertThat(doctorLayers().getFirst().problem()).isPresent();
        });
    }

    @Test
    void aConfigOfFiveHundredMegabytesIsRefusedByItsSizeNamingTheFile() throws Exception {
        Path huge = project.resolve("lathe.json");
        try (var f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(500L << 20); // sparse: nothing on disk, 500 MiB to a reader
        }
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(this::load).isInstanceOf(ConfigException.class)
                .hasMessageContaining(huge.toString()).hasMessageContaining("500 MiB").hasMessageContaining("4 MiB"));
    }

    @Test
    void theUsersOwnConfigMayBeALinkToADotfilesFolder() throws Exception {
        Path dotfiles = Files.createDirectories(tmp.resolve("dotfiles"));
        Files.writeString(dotfiles.resolve("lathe.json"), "{\"model\": \"dotfiles/m\"}");
        Path global = Files.createDirectories(home.resolve(".config/lathe")).resolve("lathe.json");
        Files.createSymbolicLink(global, dotfiles.resolve("lathe.json"));
        assertThat(load().model()).contains("dotfiles/m");
    }

    @Test
    void aPluginManifestLinkedOutOfThePluginIsRefused() throws Exception {
        Path plugin = Files.createDirectories(project.resolve("plugins/p/.claude-plugin"));
        Files.writeString(outside.resolve("plugin.json"), "{\"name\": \"" + CANARY + "\"}");
        Files.createSymbolicLink(plugin.resolve("plugin.json"), outside.resolve("plugin.json"));
        assertThatThrownBy(() -> dev.lathe.core.claudeplugin.PluginManifest.read(project.resolve("plugins/p"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("outside").satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }
}
