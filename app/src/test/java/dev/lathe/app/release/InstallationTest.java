package dev.lathe.app.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a copy knows how it was installed: the release launcher's properties, else where its jar is. */
class InstallationTest {
    @TempDir Path dir;

    private static Map<String, String> launchedBy(String by, Path home) { return Map.of("lathe.installedBy", by, "lathe.home", home.toString()); }

    @Test
    void theScriptsLayoutNamesItsPrefix() {
        Path home = dir.resolve("prefix/lib/lathe/1.2.0");

        assertThat(Installation.of(launchedBy("archive", home), Optional.empty())).isEqualTo(new Installation.Script(home, dir.resolve("prefix")));
    }

    @Test
    void anArchiveElsewhereWasUnpackedByHand() {
        Path home = dir.resolve("opt/lathe-1.2.0");

        assertThat(Installation.of(launchedBy("archive", home), Optional.empty())).isEqualTo(new Installation.Unpacked(home));
        // lib/lathe/NAME where NAME is no version is not the script's
        assertThat(Installation.of(launchedBy("archive", dir.resolve("p/lib/lathe/current")), Optional.empty())).isInstanceOf(Installation.Unpacked.class);
    }

    @Test
    void npmsLauncherSaysNpm() {
        Path home = dir.resolve("node_modules/lathe-agent-linux-x64");

        assertThat(Installation.of(launchedBy("npm", home), Optional.empty())).isEqualTo(new Installation.Npm(home));
    }

    @Test
    void theImagesEnvironmentSaysImage() {
        Path home = dir.resolve("opt/lathe");

        assertThat(Installation.of(launchedBy("image", home), Optional.empty())).isEqualTo(new Installation.Image(home));
        assertThat(new Installation.Image(home).describe()).contains("container image");
    }

    @Test
    void withoutTheLaunchersPropertiesAJarInACheckoutIsTheCheckout() throws Exception {
        Path root = dir.resolve("lathe");
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/lathe"), "#!/usr/bin/env bash\n");
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Path jar = Files.createDirectories(root.resolve("app/target")).resolve("lathe.jar");

        assertThat(Installation.of(Map.of(), Optional.of(jar))).isEqualTo(new Installation.Checkout(root));
        assertThat(Installation.of(Map.of(), Optional.of(root.resolve("app/target/classes")))).isEqualTo(new Installation.Checkout(root));
        // an unknown installedBy is not believed
        assertThat(Installation.of(launchedBy("brew", dir), Optional.of(jar))).isEqualTo(new Installation.Checkout(root));
    }

    @Test
    void anyOtherJarIsABareJar() {
        Path jar = dir.resolve("downloads/lathe.jar");

        assertThat(Installation.of(Map.of(), Optional.of(jar))).isEqualTo(new Installation.Jar(Optional.of(jar)));
        assertThat(new Installation.Jar(Optional.of(jar)).describe()).isEqualTo("jar at " + jar + " (java -jar, not a release install)");
    }

    @Test
    void theTestsOwnCopyIsACheckout() {
        // these tests run from the checkout's app/target/test-classes beside classes: bin/lathe's copy, never a release
        assertThat(Installation.current()).isInstanceOf(Installation.Checkout.class);
    }
}
