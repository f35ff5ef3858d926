package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package step recorded every start-up cache bin/lathe picks (AotTraining): a training that breaks (a prompt
 * text it waits for changed, the UI no longer opens under a pseudo-terminal) only logs, so without this check the
 * commands would silently start cold again — a third more CPU and ~15 MiB more for the terminal UI, 2.5× the CPU
 * for a one-shot run.
 */
class AotCachesIT {
    @Test
    void everyCacheTheLauncherPicksIsBuiltAndNewerThanTheJar() {
        assumeFalse(Boolean.parseBoolean(System.getProperty("lathe.skipAot", "false")), "built with -DskipAot");
        List<String> caches = new java.util.ArrayList<>(List.of("lathe.aot", "lathe-client.aot", "lathe-serve.aot"));
        // the terminal UI's is recorded under util-linux's script (a pseudo-terminal), which every Debian has
        if (Files.isExecutable(Path.of("/usr/bin/script"))) caches.add("lathe-tui.aot");
        for (String name : caches) {
            assertThat(ServeFlags.isFresh(ServeFlags.jar().resolveSibling(name))).as(name + " beside the jar, newer than it").isTrue();
        }
    }
}
