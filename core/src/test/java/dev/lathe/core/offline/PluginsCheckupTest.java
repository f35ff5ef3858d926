package dev.lathe.core.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.LathePaths;
import dev.lathe.core.plugin.PluginJars;
import dev.lathe.core.trust.FolderTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugins line of {@code lathe doctor}: what is offered, and each script or jar that could not be taken, by file. */
class PluginsCheckupTest {
    @TempDir Path tmp;

    @Test
    void namesTheToolsOfferedAndWhatCouldNotBeTaken() throws Exception {
        var paths = LathePaths.fromEnvironment(Map.of("HOME", tmp.toString(), "XDG_CONFIG_HOME", tmp.resolve("config").toString()));
        Path project = Files.createDirectories(tmp.resolve("project"));
        assertThat(Checkup.plugins(paths, project, FolderTrust.TRUSTED)).isEqualTo(Checkup.Check.ok("plugins", "no script tools or plugin tools"));

        PluginJars.script("word_count.py", project.resolve(".lathe/tools"));
        Path bad = Files.writeString(project.resolve(".lathe/tools/bad.sh"), "#!/bin/sh\n# lathe-tool: {\"name\": \"bad\"}\n");
        bad.toFile().setExecutable(true);
        PluginJars.build("broken/BrokenPlugins.java", tmp.resolve("config/lathe/plugins/broken.jar"), List.of("example.broken.BrokenPlugins$ThrowsAtLoad"));
        // a trusted folder's own tools load as trust pinned them (issue 40): approved as they are now
        Files.createDirectories(project.resolve(".git"));
        dev.lathe.core.info.TrustReview.approve(new dev.lathe.core.config.ConfigLoader(paths, Map.of("HOME", tmp.toString(), "XDG_CONFIG_HOME",
                tmp.resolve("config").toString()), tmp.resolve("managed.json")), project);
        Checkup.Check check = Checkup.plugins(paths, project, FolderTrust.TRUSTED);
        assertThat(check.status()).isEqualTo(Checkup.Status.WARN);
        assertThat(check.detail()).startsWith("offered: word_count; not taken: ")
                .contains(bad + ":2: key 'description' is required").contains("broken.jar: a plugin could not be loaded").contains("no licence");

        assertThat(Checkup.plugins(paths, project, FolderTrust.UNTRUSTED).detail()).as("an untrusted folder's own tools are not offered")
                .doesNotContain("word_count").doesNotContain("bad.sh");
    }
}
