package dev.lathe.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The JDK AOT cache {@code bin/lathe} gives a command, chosen the same way: the end-to-end tests start Lathe as users
 * do, and a cold JVM costs a lathe process about 2.5 times the CPU of one started from its cache (3.0 s against 1.2 s
 * of user time for a one-shot run, measured here): on CI's two cores that CPU is most of the suite's time.
 */
final class LauncherCache {
    private LauncherCache() {}

    /**
     * The options for {@code args} with {@code env}: none when the cache was not built or is older than the jar, or
     * with {@code -Dlathe.it.aot=off} (to compare, or to rule the cache out of a failure).
     */
    static List<String> flags(List<String> args, Map<String, String> env) {
        if (System.getProperty("lathe.it.aot", "on").equals("off")) return List.of();
        Path cache = ServeFlags.jar().resolveSibling(file(args, env));
        return ServeFlags.isFresh(cache) ? ServeFlags.useCache(cache) : List.of();
    }

    private static String file(List<String> args, Map<String, String> env) {
        String first = args.isEmpty() ? "" : args.getFirst();
        if (first.equals("serve")) return "lathe-serve.aot";
        if (first.equals("run")) return inProcess(args, env) ? "lathe.aot" : "lathe-client.aot";
        if (args.isEmpty() || first.equals("attach") || java.nio.file.Files.isDirectory(Path.of(first))) return "lathe-tui.aot";
        return "lathe.aot";
    }

    /** bin/lathe's run_in_process: CI set to anything but false, or --standalone before any "--". */
    static boolean inProcess(List<String> args, Map<String, String> env) {
        String ci = env.getOrDefault("CI", "");
        if (!ci.isEmpty() && !List.of("false", "FALSE", "False", "0").contains(ci)) return true;
        for (String a : args) {
            if (a.equals("--")) return false;
            if (a.equals("--standalone")) return true;
        }
        return false;
    }
}
