package dev.lathe.app;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the JDK AOT cache ({@code app/target/lathe.aot}) in the package phase: one realistic {@code lathe run}
 * (config, SQLite, a streamed answer with tool calls, read/edit/bash/grep) against the FakeLlm, recorded with
 * {@code -XX:AOTCacheOutput}. Lives in the test sources so nothing of it ships in the jar.
 *
 * <p>Arguments: the java binary, the jar, the cache file to write.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        String java = args[0];
        Path jar = Path.of(args[1]);
        Path cache = Path.of(args[2]);
        Files.deleteIfExists(cache);
        Path home = Files.createTempDirectory("lathe-aot-");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").write("src/b.txt", "beta\n").initGitRepo();
            llm.enqueue(Turn.of(Step.text("Reading."), Step.toolCall("c1", "read", "{\"path\":\"a.txt\"}"),
                    Step.toolCall("c2", "grep", "{\"pattern\":\"beta\"}")));
            llm.enqueue(Turn.of(Step.toolCall("c3", "edit", "{\"path\":\"a.txt\",\"oldString\":\"alpha\",\"newString\":\"gamma\"}"),
                    Step.toolCall("c4", "bash", "{\"command\":\"cat a.txt\"}")));
            llm.enqueue(Turn.of(Step.text("Done.")));
            List<String> cmd = new ArrayList<>(List.of(java, "-XX:AOTCacheOutput=" + cache, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "run", "--dir", ws.path().toString(), "--allow-all", "train"));
            var pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve("training.log").toFile());
            pb.environment().put("HOME", home.toString());
            pb.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
            pb.environment().put("XDG_STATE_HOME", home.resolve("state").toString());
            pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
            pb.environment().put("XDG_CACHE_HOME", home.resolve("cache").toString());
            pb.environment().put("LATHE_DISABLE_MODELS_FETCH", "1");
            pb.environment().put("LATHE_CONFIG_CONTENT", Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-training"));
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                // a missing cache only costs start-up time; never fail the build for it
                System.err.println("AOT training run failed; lathe will start without the cache:\n" + Files.readString(home.resolve("training.log")));
            }
        } finally {
            try (var files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
