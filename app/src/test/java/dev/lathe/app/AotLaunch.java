package dev.lathe.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How an AOT training run starts Lathe while it records a cache: the build's JDK and jar with the options
 * {@code bin/lathe} gives the command ({@link Direct}), or a release's own launcher ({@link Release}), which then
 * records the very cache it picks for the command, with its own runtime and options (bin/release, decision 446).
 */
sealed interface AotLaunch {
    /** The command line that runs {@code lathe args...} recording {@code cache}; {@code jvmFlags} are bin/lathe's for it. */
    List<String> command(Path cache, List<String> jvmFlags, List<String> args);

    /** Variables the process needs besides the training's own. */
    Map<String, String> environment(Path cache);

    /** {@code java -XX:AOTCacheOutput=CACHE FLAGS -jar JAR ARGS}. */
    record Direct(String java, Path jar) implements AotLaunch {
        @Override
        public List<String> command(Path cache, List<String> jvmFlags, List<String> args) {
            var cmd = new ArrayList<>(List.of(java, "-XX:AOTCacheOutput=" + cache));
            cmd.addAll(jvmFlags);
            cmd.addAll(List.of("-jar", jar.toString()));
            cmd.addAll(args);
            return cmd;
        }

        @Override
        public Map<String, String> environment(Path cache) { return Map.of(); }
    }

    /**
     * A release's {@code bin/lathe}: with {@code LATHE_AOT_OUTPUT} set it records, into that folder, the cache it would
     * otherwise run with; the folder is the one {@code cache} is in, and the launcher's choice must give its name.
     */
    record Release(Path launcher) implements AotLaunch {
        @Override
        public List<String> command(Path cache, List<String> jvmFlags, List<String> args) {
            var cmd = new ArrayList<>(List.of(launcher.toString()));
            cmd.addAll(args);
            return cmd;
        }

        @Override
        public Map<String, String> environment(Path cache) { return Map.of("LATHE_AOT_OUTPUT", cache.getParent().toString()); }
    }
}
