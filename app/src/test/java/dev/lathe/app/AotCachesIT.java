package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    /**
     * The one-shot caches hold no method profiles (decisions 533, 548): they feed only C2, which no Lathe JVM runs, and
     * a JVM started from a cache with them replays them on a thread of its own and looks each method C1 compiles up in
     * them (standalone `lathe run`, CPU to its first request −11 to −20 % without). The JVM prints the cache's training
     * data on request: its dictionary must be empty.
     */
    @Test
    void theOneShotCachesHoldNoMethodProfiles() throws Exception {
        assumeFalse(Boolean.parseBoolean(System.getProperty("lathe.skipAot", "false")), "built with -DskipAot");
        for (String name : List.of("lathe.aot", "lathe-client.aot")) {
            Path cache = ServeFlags.jar().resolveSibling(name);
            var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                    "-XX:AOTCache=" + cache, "-XX:+UnlockDiagnosticVMOptions", "-XX:+AOTPrintTrainingInfo", "-cp", ServeFlags.jar().toString(), "-version")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            // the cache was used (its dictionary printed), and the dictionary has no entry (an entry reads "  0: 0x…")
            assertThat(out).as(name).contains("Archived TrainingData Dictionary").doesNotContainPattern("(?m)^\\s+0: ");
        }
    }
}
