package dev.lathe.core.claudeplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lathe plugin add|list|remove} on real folders and a real git repository reached through {@code file://}. */
class PluginInstallsTest {
    @TempDir Path tmp;

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static Path source(Path root, String name) throws Exception {
        write(root.resolve(".claude-plugin/plugin.json"), "{\"name\": \"" + name + "\", \"version\": \"0.3.0\"}");
        write(root.resolve("commands/hi.md"), "Say hi.");
        write(root.resolve("skills/s/SKILL.md"), "---\ndescription: a skill\n---\nbody");
        return root;
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    @Test
    void aFolderIsCopiedListedAndRemoved() throws Exception {
        Path src = source(tmp.resolve("src/acme"), "acme");
        var installs = new PluginInstalls(tmp.resolve("data/claude-plugins"), Map.of());

        ClaudePlugin added = installs.add(src.toString());

        Path installed = tmp.resolve("data/claude-plugins/acme");
        assertThat(added.root()).isEqualTo(installed);
        assertThat(installed.resolve("commands/hi.md")).hasContent("Say hi.");
        assertThat(ClaudePlugins.installed(tmp.resolve("data/claude-plugins"))).containsExactly(installed);
        assertThat(installs.list()).singleElement().satisfies(i -> {
            assertThat(i.folder()).isEqualTo("acme");
            assertThat(i.plugin()).hasValueSatisfying(p -> assertThat(PluginParts.of(p).summary()).isEqualTo("1 command, 1 skill"));
            assertThat(i.origin()).as("the lock's source").contains(src.toString());
            assertThat(i.problem()).isEmpty();
        });
        // the source is untouched, and a second plugin of the name is refused
        assertThat(src.resolve("commands/hi.md")).exists();
        assertThatThrownBy(() -> installs.add(src.toString())).isInstanceOf(PluginInstalls.Failure.class)
                .hasMessageStartingWith("a plugin named 'acme' is installed already");

        assertThat(installs.remove("acme")).isTrue();
        assertThat(installed).doesNotExist();
        assertThat(installs.remove("acme")).isFalse();
        assertThat(installs.remove("../src")).isFalse();
        assertThat(installs.list()).isEmpty();
    }

    @Test
    void aGitUrlIsClonedAndItsOriginShown() throws Exception {
        Path work = source(tmp.resolve("work"), "from-git");
        run(work, "git", "init", "-q", "-b", "main");
        run(work, "git", "-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".");
        run(work, "git", "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "plugin");
        run(tmp, "git", "clone", "-q", "--bare", work.toString(), tmp.resolve("remote.git").toString());
        String url = tmp.resolve("remote.git").toUri().toString();
        var installs = new PluginInstalls(tmp.resolve("data/claude-plugins"), Map.of());

        ClaudePlugin added = installs.add(url);

        assertThat(added.name()).isEqualTo("from-git");
        assertThat(tmp.resolve("data/claude-plugins/from-git/commands/hi.md")).hasContent("Say hi.");
        assertThat(installs.list()).singleElement().satisfies(i -> assertThat(i.origin()).hasValue(url));
        assertThatThrownBy(() -> installs.add(tmp.resolve("nothing.git").toUri().toString())).isInstanceOf(PluginInstalls.Failure.class)
                .hasMessageContaining("git could not clone").hasMessageContaining("nothing.git");
    }

    @Test
    void aBrokenPluginIsRefusedWithItsFileLineAndKeyAndNothingStays() throws Exception {
        Path src = tmp.resolve("bad");
        write(src.resolve(".claude-plugin/plugin.json"), "{\n  \"name\": \"bad\",\n  \"commands\": \"cmds\"\n}");
        var installs = new PluginInstalls(tmp.resolve("data/claude-plugins"), Map.of());
        assertThatThrownBy(() -> installs.add(src.toString())).isInstanceOf(PluginInstalls.Failure.class)
                .hasMessage(src + "/.claude-plugin/plugin.json:3: commands: 'cmds' must be relative to the plugin and start with ./");
        assertThatThrownBy(() -> installs.add(tmp.resolve("missing").toString())).isInstanceOf(PluginInstalls.Failure.class)
                .hasMessageContaining("no such folder");
        try (var left = Files.list(tmp.resolve("data/claude-plugins"))) {
            assertThat(left).isEmpty();
        }
    }
}
