package dev.lathe.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin jar loads from the bytes that were checked (issue 40): the jar is replaced right after trust's check said yes
 * (an attacker winning the race, or a class the loader reads lazily later), and what runs is still the approved jar,
 * or nothing. Real jars compiled here, the real class loader; the plugin's constructor writes which jar it came from
 * to a marker file outside the project.
 */
class JarSnapshotTest {
    @TempDir Path tmp;

    @AfterEach
    void clear() { System.clearProperty("lathe.test.marker"); }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private void replace(Path jar, byte[] bytes) throws Exception {
        Path next = jar.resolveSibling(".next");
        Files.write(next, bytes);
        Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aJarReplacedRightAfterItsCheckIsNotWhatLoads() throws Exception {
        Path marker = tmp.resolve("marker");
        System.setProperty("lathe.test.marker", marker.toString());
        Path plugins = Files.createDirectories(tmp.resolve("project/.lathe/plugins"));
        Path jar = plugins.resolve("marker.jar");
        byte[] evil = Files.readAllBytes(PluginJars.build("marker/MarkerPlugin.java", tmp.resolve("evil.jar"), List.of("example.marker.MarkerPlugin", "# evil")));
        byte[] approved = Files.readAllBytes(PluginJars.build("marker/MarkerPlugin.java", jar, List.of("example.marker.MarkerPlugin")));
        String approvedSha = sha256(approved);

        // trust admits only the approved bytes; each time it says yes, the file is swapped for the evil jar at once
        ExtensionFolders.Admission racing = (file, sha) -> {
            try {
                boolean ok = (sha != null ? sha : sha256(Files.readAllBytes(file))).equals(approvedSha);
                if (ok) replace(file, evil);
                return ok;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        try (var folders = new ExtensionFolders(plugins, tmp.resolve("project/.lathe/tools"), Optional.of("project"), new PluginEvents(), () -> racing)) {
            folders.tools();
        }
        assertThat(marker).as("the evil jar must never load").satisfiesAnyOf(m -> assertThat(m).doesNotExist(),
                m -> assertThat(Files.readString(m)).doesNotContain("evil"));

        // the approved jar, unraced, loads and runs (the marker is real evidence)
        replace(jar, approved);
        ExtensionFolders.Admission honest = (file, sha) -> {
            try {
                return (sha != null ? sha : sha256(Files.readAllBytes(file))).equals(approvedSha);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        try (var folders = new ExtensionFolders(plugins, tmp.resolve("project/.lathe/tools"), Optional.of("project"), new PluginEvents(), () -> honest)) {
            folders.tools();
            // replaced after loading: the class loader reads its private copy, not the folder's file
            replace(jar, evil);
            assertThat(Files.readString(marker)).isEqualTo("approved\n");
        }
    }
}
