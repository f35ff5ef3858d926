package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The end-to-end tests start Lathe with bin/lathe's JVM options: one added there and forgotten here fails this. */
class LauncherFlagsTest {
    private static final Pattern OPTION = Pattern.compile("(-XX:[+-]?[A-Za-z0-9]+(?:=[0-9a-z.]+)?|-Xm[sn][0-9]+m)");

    @Test
    void everyJitAndHeapOptionOfBinLatheIsGivenToTheCommandsItIsGivenTo() throws Exception {
        var script = new TreeSet<String>();
        for (String line : Files.readAllLines(Path.of("../bin/lathe"))) {
            if (line.strip().startsWith("#") || line.contains("AOTCache")) continue;
            OPTION.matcher(line).results().forEach(m -> script.add(m.group()));
        }
        var given = new TreeSet<String>();
        for (var args : List.of(List.<String>of(), List.of("run", "x"), List.of("serve"), List.of("attach"), List.of("sessions"))) {
            given.addAll(LauncherFlags.chosen(args, Map.of()));
        }
        given.add("-XX:+UseSerialGC");  // Lathe.command's own
        // a server's thresholds: left out on purpose (LauncherFlags), a daemon gets them from Backends
        script.removeAll(List.of("-XX:CompileThresholdScaling=0.3", "-XX:ReservedCodeCacheSize=240m"));
        assertThat(script).isNotEmpty();
        assertThat(given).containsAll(script);
    }

    @Test
    void eachCommandGetsItsOwnAsBinLatheChoosesThem() {
        assertThat(LauncherFlags.chosen(List.of("run", "x"), Map.of())).contains("-XX:TieredStopAtLevel=1", "-XX:C1MaxInlineLevel=3", "-Xmn2m",
                "-Djdk.reflect.useNativeAccessorOnly=true");
        assertThat(LauncherFlags.chosen(List.of("run", "x"), Map.of("CI", "1"))).doesNotContain("-Xmn2m").contains("-XX:C1MaxInlineLevel=3");
        assertThat(LauncherFlags.chosen(List.of("serve"), Map.of())).contains("-XX:TieredStopAtLevel=1", "-Xms16m").doesNotContain("-Xmn2m");
        assertThat(LauncherFlags.chosen(List.of("sessions"), Map.of())).contains("-XX:TieredStopAtLevel=1").doesNotContain("-Xms16m");
    }
}
