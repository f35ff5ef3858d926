package dev.lathe.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM options {@code bin/lathe} gives a command besides its AOT cache ({@link LauncherCache}), chosen the same way:
 * the end-to-end tests start Lathe as users do. Without them every test process ran with C2 beside C1, its perf-data
 * file and SQLite's library extracted to /tmp at each start: CPU that on CI's two cores is the suite's time (issue 55).
 */
final class LauncherFlags {
    private LauncherFlags() {}

    /** The options for {@code lathe args...} with {@code env} (bin/lathe's {@code flags}). */
    static List<String> of(List<String> args, Map<String, String> env) {
        List<String> flags = new ArrayList<>(ServeFlags.sqliteLibrary(ServeFlags.jar().resolveSibling("native")));
        flags.addAll(ServeFlags.treeSitterLibraries(ServeFlags.jar().resolveSibling("native")));
        flags.addAll(chosen(args, env));
        return flags;
    }

    /**
     * The options chosen for the command, without SQLite's library (extracted from the built jar, which a unit test
     * runs before): what {@code LauncherFlagsTest} compares with bin/lathe.
     */
    static List<String> chosen(List<String> args, Map<String, String> env) {
        List<String> flags = new ArrayList<>(List.of("-XX:-UsePerfData"));
        // C1 only, for one-shot commands and the server alike (decisions 56, 62)
        flags.add("-XX:TieredStopAtLevel=1");
        String first = args.isEmpty() ? "" : args.getFirst();
        if (first.equals("run")) flags.addAll(List.of("-XX:C1MaxInlineLevel=3", "-XX:C1MaxInlineSize=15"));
        // not bin/lathe's server thresholds (-XX:CompileThresholdScaling=0.3): a serve the tests start lives seconds, and
        // compiling at 30 % of the counts made a refused second serve 2.7-6.8 s slower than --version at load 20
        // (DaemonLifecycleIT's one-second bound); daemons a client starts get them from Backends as before
        if (first.isEmpty() || first.startsWith("-") || first.equals("serve") || first.equals("attach")) {
            flags.addAll(List.of("-Xms16m", "-XX:TrimNativeHeapInterval=5000"));
        }
        if (first.equals("run") && !LauncherCache.inProcess(args, env)) flags.addAll(List.of("-Xms4m", "-Xmn2m", "-Djdk.reflect.useNativeAccessorOnly=true"));
        return flags;
    }
}
