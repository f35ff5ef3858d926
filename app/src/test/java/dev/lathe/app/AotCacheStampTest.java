package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's no-cache trap (decision 539): a {@code package -DskipAot} after the caches were recorded rewrote
 * lathe.jar, same classes, newer time, and every later start ran without its AOT cache, silently; a cache made to look
 * newer by hand would run old classes, which this JDK does not refuse. The pom's step ({@code app/build/AotCacheStamp.java},
 * run as the build runs it) must give a same-contents jar its recorded time back and take the caches of any other jar away.
 */
class AotCacheStampTest {
    private static final Path PROGRAM = Path.of("build/AotCacheStamp.java").toAbsolutePath();
    @TempDir static Path classes;

    @TempDir Path dir;

    /** Compiled once, here: a source launch per call compiles it each time (~1.5 s of CPU). */
    @BeforeAll
    static void compile() {
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), PROGRAM.toString())).isZero();
    }

    @Test
    void aJarWrittenAgainWithTheSameClassesKeepsItsCachesNewerThanIt() throws Exception {
        Path jar = dir.resolve("lathe.jar");
        writeJar(jar, Map.of("a/A.class", "one", "b/B.class", "two", "build.properties", "commit=1"), 1_000_000_000_000L);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
        List<Path> caches = caches(FileTime.fromMillis(1_700_000_100_000L));
        assertThat(stamp("record", jar, caches)).isEmpty();
        FileTime recorded = Files.getLastModifiedTime(jar);

        // what every package does, -DskipAot too: the same classes, each entry with the build's time, the file newer;
        // a resource that names the commit differs (no cache holds resources)
        writeJar(jar, Map.of("a/A.class", "one", "b/B.class", "two", "build.properties", "commit=2"), 1_100_000_000_000L);
        assertThat(launcherUses(caches.getFirst(), jar)).as("the trap: the jar is newer than its cache").isFalse();
        assertThat(stamp("keep", jar, caches)).contains("AOT caches kept");

        assertThat(Files.getLastModifiedTime(jar)).isEqualTo(recorded);
        for (Path cache : caches) assertThat(launcherUses(cache, jar)).as(cache.getFileName().toString()).isTrue();
        assertThat(stamp("keep", jar, caches)).as("nothing to say the second time").isEmpty();
    }

    @Test
    void aJarWithOtherClassesLosesTheCachesRecordedFromTheOldOne() throws Exception {
        Path jar = dir.resolve("lathe.jar");
        writeJar(jar, Map.of("a/A.class", "one"), 1_000_000_000_000L);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
        List<Path> caches = caches(FileTime.fromMillis(1_700_000_100_000L));
        stamp("record", jar, caches);

        writeJar(jar, Map.of("a/A.class", "ONE"), 1_000_000_000_000L);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));  // even with the old time: contents decide
        assertThat(stamp("keep", jar, caches)).contains("AOT caches removed");

        for (Path cache : caches) assertThat(cache).doesNotExist();
        assertThat(dir.resolve("lathe-aot.stamp")).doesNotExist();
    }

    @Test
    void theBuildRunsTheKeepingStepInEveryPackageBeforeTheCachesAreRecorded() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        int keep = pom.indexOf("<id>aot-keep</id>");
        int record = pom.indexOf("<id>aot-cache</id>");
        int stamp = pom.indexOf("<id>aot-stamp</id>");
        assertThat(keep).isPositive().isLessThan(record);
        assertThat(stamp).isGreaterThan(record);
        String keepExecution = pom.substring(keep, pom.indexOf("</execution>", keep));
        assertThat(keepExecution).contains("<phase>package</phase>", "AotCacheStamp.java", "<argument>keep</argument>").doesNotContain("<skip>");
    }

    /** bin/lathe's test: {@code [ -f "$cache" ] && [ "$cache" -nt "$JAR" ]}. */
    private static boolean launcherUses(Path cache, Path jar) throws IOException {
        return Files.isRegularFile(cache) && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) > 0;
    }

    private List<Path> caches(FileTime time) throws IOException {
        var caches = new ArrayList<Path>();
        for (String name : List.of("lathe.aot", "lathe-client.aot", "lathe-serve.aot")) {
            Path cache = Files.writeString(dir.resolve(name), "cache " + name);
            Files.setLastModifiedTime(cache, time);
            caches.add(cache);
        }
        return caches;
    }

    private String stamp(String mode, Path jar, List<Path> caches) throws Exception {
        var cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classes.toString(), "AotCacheStamp", mode,
                jar.toString(), dir.resolve("lathe-aot.stamp").toString()));
        caches.forEach(c -> cmd.add(c.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static void writeJar(Path jar, Map<String, String> entries, long entryTime) throws IOException {
        try (var zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (var e : new TreeMap<>(entries).entrySet()) {
                var entry = new ZipEntry(e.getKey());
                entry.setTime(entryTime);
                zip.putNextEntry(entry);
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }
}
