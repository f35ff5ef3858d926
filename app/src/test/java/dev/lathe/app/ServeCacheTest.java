package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCacheTest {
    @TempDir Path dir;

    @Test
    void theServersCacheBesideThisProcesssIsChosenWhenItIsNotOlder() throws Exception {
        Path own = touch("lathe.aot", 1_000);
        Path serve = touch(ServeCache.FILE, 2_000);
        assertThat(ServeCache.beside(List.of("-XX:+UseSerialGC", "-XX:AOTCache=" + own, "-Xlog:aot=off"))).contains(serve);
    }

    @Test
    void anOlderOneIsLeftFromAnEarlierBuild() throws Exception {
        Path own = touch("lathe.aot", 2_000);
        touch(ServeCache.FILE, 1_000);
        assertThat(ServeCache.beside(List.of("-XX:AOTCache=" + own))).isEmpty();
    }

    @Test
    void noneWithoutACacheOfThisProcessOrBesideIt() throws Exception {
        Path own = touch("lathe-client.aot", 1_000);
        assertThat(ServeCache.beside(List.of("-XX:AOTCache=" + own))).isEmpty();
        touch(ServeCache.FILE, 1_000);
        assertThat(ServeCache.beside(List.of("-XX:+UseSerialGC"))).isEmpty();
        assertThat(ServeCache.beside(List.of("-XX:AOTCache=" + dir.resolve("gone/lathe.aot")))).isEmpty();
    }

    @Test
    void theLastCacheOptionCountsAsInTheJvm() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        Path own = touch("lathe.aot", 1_000);
        Path serve = touch(ServeCache.FILE, 1_000);
        assertThat(ServeCache.beside(List.of("-XX:AOTCache=" + other.resolve("lathe.aot"), "-XX:AOTCache=" + own))).contains(serve);
    }

    @Test
    void theDaemonAClientStartsGetsTheServersHeapNotTheClients() throws Exception {
        // a `lathe run` client runs with -Xms8m -Xmn4m (bin/lathe, issue 43); the daemon's own options come last and win
        Path own = touch("lathe-client.aot", 1_000);
        Path serve = touch(ServeCache.FILE, 2_000);
        assertThat(Backends.daemonOptions(List.of("-Xms8m", "-Xmn4m", "-XX:AOTCache=" + own)))
                .containsExactly("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.3", "-XX:ReservedCodeCacheSize=240m", "-Xms16m", "-XX:TrimNativeHeapInterval=5000",
                        "-XX:AOTCache=" + serve);
    }

    private Path touch(String name, long epochSecond) throws Exception {
        Path file = Files.writeString(dir.resolve(name), "cache");
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(epochSecond)));
        return file;
    }
}
