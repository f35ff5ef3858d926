package dev.lathe.app.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On Windows the npm package's {@code lathe.js} runs the runtime itself instead of the archive's launcher (Node runs no
 * {@code .cmd} without a shell, decision 491): its command line must stay the one the POSIX launcher
 * {@code release/launcher/lathe} gives each command, or Windows users of npm lose the AOT caches, the heap choices and
 * the native libraries. Both run here against a fake runtime that writes down its arguments; {@code lathe.js} is made to
 * believe it runs on win32-x64. Only the platform's own differences are allowed: the libraries' file names, and the
 * native-heap trimming only Linux has.
 */
class LauncherCommandLineTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String RECORDER = "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$LATHE_TEST_ARGS\"\n";

    @TempDir Path dir;
    Path posix;
    Path npm;
    Path windowsPackage;

    @BeforeEach
    void installBoth() throws IOException {
        posix = dir.resolve("archive/lathe-1.2.3");
        fill(posix, "runtime/bin/java", List.of("libsqlitejdbc.so", "libjlinenative.so"));
        Files.copy(ROOT.resolve("release/launcher/lathe"), posix.resolve("bin/lathe"));
        executable(posix.resolve("bin/lathe"));

        npm = dir.resolve("npm/node_modules");
        windowsPackage = npm.resolve("lathe-agent-win32-x64");
        fill(windowsPackage, "runtime/bin/java.exe", List.of("sqlitejdbc.dll", "jlinenative.dll"));
        long jarTime = Files.getLastModifiedTime(windowsPackage.resolve("lib/lathe.jar")).toMillis() / 1000;
        Files.writeString(windowsPackage.resolve("package.json"),
                "{\"name\": \"lathe-agent-win32-x64\", \"version\": \"1.2.3\", \"lathe\": {\"jarModified\": " + jarTime + "}}\n");
        Files.createDirectories(npm.resolve("lathe-agent/bin"));
        Files.copy(ROOT.resolve("release/npm/lathe.js"), npm.resolve("lathe-agent/bin/lathe.js"));
        Files.writeString(dir.resolve("win32.js"), "Object.defineProperty(process, 'platform', { value: 'win32' });\n"
                + "Object.defineProperty(process, 'arch', { value: 'x64' });\n");
        Files.createDirectories(dir.resolve("work/a-folder"));
        Files.createDirectories(dir.resolve("work/run"));
        Files.createDirectories(dir.resolve("work/serve"));
    }

    private static void fill(Path home, String java, List<String> natives) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Path runtime = Files.createDirectories(home.resolve(java).getParent()).resolve(home.resolve(java).getFileName());
        Files.writeString(runtime, RECORDER);
        executable(runtime);
        Path lib = Files.createDirectories(home.resolve("lib"));
        Files.writeString(lib.resolve("lathe.jar"), "jar");
        Files.setLastModifiedTime(lib.resolve("lathe.jar"), FileTime.fromMillis(1_700_000_000_000L));
        for (String name : List.of("lathe.aot", "lathe-client.aot", "lathe-serve.aot", "lathe-tui.aot")) Files.writeString(lib.resolve(name), "aot");
        for (String name : natives) Files.writeString(lib.resolve(name), "native");
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The arguments the runtime got, each launcher's own folder written HOME. */
    private List<String> run(List<String> launcher, Path home, Map<String, String> extraEnv, List<String> args) throws Exception {
        Path recorded = Files.createTempFile(dir, "args", ".txt");
        var command = new ArrayList<>(launcher);
        command.addAll(args);
        var pb = new ProcessBuilder(command).directory(dir.resolve("work").toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        Map<String, String> env = pb.environment();
        env.remove("CI");
        env.remove("LATHE_JAR");
        env.remove("LATHE_AOT_OUTPUT");
        env.put("LATHE_TEST_ARGS", recorded.toString());
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        env.putAll(extraEnv);
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
        return Files.readAllLines(recorded).stream().map(a -> a.replace(home.toString(), "HOME")).toList();
    }

    private List<String> posix(Map<String, String> env, List<String> args) throws Exception {
        var all = new HashMap<>(env);
        all.put("LATHE_INSTALLED_BY", "npm");
        return run(List.of(posix.resolve("bin/lathe").toString()), posix, all, args).stream()
                .filter(a -> !a.startsWith("-XX:TrimNativeHeapInterval"))
                .map(a -> a.replace("libsqlitejdbc.so", "sqlitejdbc.dll").replace("libjlinenative.so", "jlinenative.dll"))
                .toList();
    }

    private List<String> windowsNpm(Map<String, String> env, List<String> args) throws Exception {
        return run(List.of("node", "-r", dir.resolve("win32.js").toString(), npm.resolve("lathe-agent/bin/lathe.js").toString()),
                windowsPackage, env, args);
    }

    @Test
    void npmOnWindowsGivesTheRuntimeWhatThePosixLauncherGivesItForEveryCommand() throws Exception {
        List<List<String>> cases = List.of(List.of(), List.of("run", "fix it"), List.of("run", "--standalone", "fix it"),
                List.of("run", "--", "--standalone"), List.of("serve"), List.of("attach"), List.of("--version"), List.of("doctor"),
                List.of("a-folder"), List.of("run", "quotes \" and & | < > % ! ^ stay one word"));
        for (List<String> args : cases) {
            List<String> windows = windowsNpm(Map.of(), args);
            assertThat(windows).as("lathe %s", args).isEqualTo(posix(Map.of(), args));
            assertThat(windows.subList(windows.size() - args.size(), windows.size())).as("the words arrive as they were").isEqualTo(args);
        }
        assertThat(windowsNpm(Map.of("CI", "true"), List.of("run", "x"))).isEqualTo(posix(Map.of("CI", "true"), List.of("run", "x")))
                .contains("-XX:AOTCache=HOME/lib/lathe.aot").doesNotContain("-Xmn2m");
        assertThat(windowsNpm(Map.of(), List.of("run", "x"))).contains("-XX:AOTCache=HOME/lib/lathe-client.aot", "-Xmn2m", "-Djdk.reflect.useNativeAccessorOnly=true",
                "-Dlathe.installedBy=npm", "-Dorg.sqlite.lib.name=sqlitejdbc.dll", "-Dlibrary.jline.path=HOME/lib");
    }

    /** A project with a run/ or serve/ folder (this repository has a run/ module): the command keeps its own cache. */
    @Test
    void aFolderNamedLikeACommandLeavesTheCommandItsCache() throws Exception {
        assertThat(posix(Map.of(), List.of("run", "x"))).contains("-XX:AOTCache=HOME/lib/lathe-client.aot").doesNotContain("-XX:AOTCache=HOME/lib/lathe-tui.aot");
        assertThat(posix(Map.of(), List.of("run", "--standalone", "x"))).contains("-XX:AOTCache=HOME/lib/lathe.aot");
        assertThat(posix(Map.of(), List.of("serve"))).contains("-XX:AOTCache=HOME/lib/lathe-serve.aot");
        assertThat(posix(Map.of(), List.of("a-folder"))).contains("-XX:AOTCache=HOME/lib/lathe-tui.aot");
        for (List<String> args : List.of(List.of("run", "x"), List.of("run", "--standalone", "x"), List.of("serve"))) {
            assertThat(windowsNpm(Map.of(), args)).as("lathe %s", args).isEqualTo(posix(Map.of(), args));
        }
    }

    /** bin/release's training: the one-shot caches are recorded without method profiles, which only C2 reads (decision 548). */
    @Test
    void theTrainingRecordsTheOneShotCachesWithoutMethodProfiles() throws Exception {
        Path out = dir.resolve("caches");
        var training = Map.of("LATHE_AOT_OUTPUT", out.toString());
        assertThat(posix(training, List.of("run", "--standalone", "x"))).contains("-XX:AOTCacheOutput=" + out.resolve("lathe.aot"), "-XX:-AOTRecordTraining");
        assertThat(posix(training, List.of("run", "x"))).contains("-XX:AOTCacheOutput=" + out.resolve("lathe-client.aot"), "-XX:-AOTRecordTraining");
        assertThat(posix(training, List.of("serve"))).contains("-XX:AOTCacheOutput=" + out.resolve("lathe-serve.aot")).doesNotContain("-XX:-AOTRecordTraining");
    }
}
