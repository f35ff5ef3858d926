package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 52: every command a tool starts (bash in the foreground and the background, the user's {@code !cmd}, script
 * tools) starts through {@code ProcessGroups.start}, the one place that puts it under its process cap
 * ({@code ProcessCap}, {@code sandbox.maxProcesses}). A tool's launcher ({@code ProcessLauncher.launch}) called anywhere
 * else would start a tree the cap does not hold. Read from the sources, comments and strings blanked.
 */
class ProcessCapRuleTest {
    /** A call of a process launcher: {@code launcher.launch(…)}, {@code ctx.guards().launcher().launch(…)}, {@code next.launch(…)}. */
    static final Pattern LAUNCH = Pattern.compile("\\.\\s*launch\\s*\\(");

    /** Where a launch may be called, and why. */
    static final List<String> ALLOWED = List.of(
            "ProcessGroups.java",   // the one place: the cap's gate goes in front of every command tree here
            "SandboxLauncher.java", // a launcher handing its wrapped command on to the next one (the gate is already in front)
            "StartingThread.java",  // the sandbox's start on its long-lived thread, of a command ProcessGroups made
            "Ripgrep.java");        // one rg process that starts no others (a search, not a command tree)

    static List<WiringTest.Hit> launchesAroundTheCap(Path root) {
        return WiringTest.find(root, WiringTest.mainSources(root).filter(f -> !ALLOWED.contains(f.getFileName().toString())), LAUNCH);
    }

    @Test
    void everyCommandAToolStartsGoesThroughTheProcessCap() {
        assertThat(launchesAroundTheCap(ModuleBoundariesTest.repositoryRoot()))
                .as("a process launcher called outside ProcessGroups.start: start the command with ProcessGroups.start(command, launcher),"
                        + " which puts it under its process cap (sandbox.maxProcesses)")
                .isEmpty();
    }

    @Test
    void findsALaunchThatGoesAroundTheCap(@TempDir Path root) throws IOException {
        Path core = Files.createDirectories(root.resolve("core/src/main/java/x"));
        Files.writeString(core.resolve("MyTool.java"), """
                final class MyTool {
                    Process run(Ctx ctx, ProcessBuilder pb) throws Exception {
                        // ctx.guards().launcher().launch(pb) in a comment is no call
                        String s = "launcher.launch(pb)";
                        return ctx.guards().launcher()
                                .launch(pb);
                    }
                }
                """);
        Files.writeString(core.resolve("ProcessGroups.java"), "final class ProcessGroups { Object a(L l, P p) { return l.launch(p); } }\n");

        assertThat(launchesAroundTheCap(root)).extracting(WiringTest.Hit::line).containsExactly(6);
    }
}
