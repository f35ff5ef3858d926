package dev.lathe.client;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs this same build again in a new process: the same {@code java} binary, the JVM options
 * this process was started with (the launcher's AOT cache, SQLite library path, GC choice, ...), and the same jar
 * ({@code -jar} when this process was started that way, else the class path and a main class).
 *
 * <p>Options that only make sense for the process that got them are left out: the JIT level (the caller names the
 * new process's own), the young generation's size ({@code -Xmn}: {@code bin/lathe} keeps a {@code lathe run} client's
 * at 2 MiB so its garbage reuses the same pages, a size that would make a long-lived server collect all the time), its
 * reflection through native accessors (decision 540: cheaper for a short run, slower for a server's hot mapper),
 * AOT cache <em>recording</em> options and debugger agents (a second JVM would fight for the same port).
 */
public final class JavaLaunch {
    private static final List<String> DROPPED = List.of("-XX:TieredStopAtLevel", "-Xmn", "-Djdk.reflect.useNativeAccessorOnly", "-XX:AOTCacheOutput", "-XX:AOTMode",
            "-XX:AOTConfiguration", "-XX:ArchiveClassesAtExit", "-XX:+AutoCreateSharedArchive", "-agentlib:jdwp", "-Xrunjdwp", "-Xdebug");

    private JavaLaunch() {}

    /**
     * This build, run with {@code mainClass} (used when this process was not started with {@code -jar}) and {@code args}.
     *
     * @param ownOptions JVM options of the new process, after the inherited ones (so they win)
     */
    public static List<String> ofThisProcess(List<String> ownOptions, String mainClass, List<String> args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return of(java, ManagementFactory.getRuntimeMXBean().getInputArguments(), ownOptions, System.getProperty("java.class.path", ""),
                System.getProperty("sun.java.command", ""), mainClass, args);
    }

    /**
     * @param jvmOptions  the options the JVM was started with (RuntimeMXBean input arguments)
     * @param javaCommand {@code sun.java.command}: the jar or main class followed by the program arguments
     */
    static List<String> of(String java, List<String> jvmOptions, List<String> ownOptions, String classPath, String javaCommand,
            String mainClass, List<String> args) {
        var cmd = new ArrayList<String>();
        cmd.add(java);
        for (String option : jvmOptions) if (keep(option)) cmd.add(option);
        cmd.addAll(ownOptions);
        boolean startedAsJar = classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator) && javaCommand.startsWith(classPath);
        if (startedAsJar) {
            cmd.add("-jar");
            cmd.add(classPath);
        } else {
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add(mainClass);
        }
        cmd.addAll(args);
        return List.copyOf(cmd);
    }

    static boolean keep(String option) {
        for (String dropped : DROPPED) if (option.startsWith(dropped)) return false;
        return true;
    }
}
