package dev.lathe.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JavaLaunchTest {
    @Test
    void aJarStartRelaunchesTheJarWithTheLongLivedOptions() {
        var cmd = JavaLaunch.of("/jdk/bin/java",
                List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:AOTCache=/b/lathe.aot", "-Xlog:aot=off",
                        "-Dorg.sqlite.lib.path=/b/native", "--enable-native-access=ALL-UNNAMED", "-agentlib:jdwp=transport=dt_socket,address=5005"),
                List.of("-XX:TieredStopAtLevel=1"), "/b/lathe.jar", "/b/lathe.jar attach", "dev.lathe.app.Main", List.of("serve", "--daemon"));
        assertThat(cmd).containsExactly("/jdk/bin/java", "-XX:+UseSerialGC", "-XX:AOTCache=/b/lathe.aot", "-Xlog:aot=off",
                "-Dorg.sqlite.lib.path=/b/native", "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-jar", "/b/lathe.jar",
                "serve", "--daemon");
    }

    @Test
    void aClientsYoungGenerationSizeStaysWithTheClient() {
        // bin/lathe gives a `lathe run` client -Xms8m -Xmn4m (issue 43): the daemon it starts sizes its own heap
        // and its reflection through native accessors (decision 540), which would slow a server's mapper
        var cmd = JavaLaunch.of("/jdk/bin/java", List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmn4m", "-Djdk.reflect.useNativeAccessorOnly=true"), List.of("-Xms16m"), "/b/lathe.jar",
                "/b/lathe.jar run hello", "dev.lathe.app.Main", List.of("serve", "--daemon"));
        assertThat(cmd).containsExactly("/jdk/bin/java", "-XX:+UseSerialGC", "-Xms8m", "-Xms16m", "-jar", "/b/lathe.jar", "serve", "--daemon");
    }

    @Test
    void aClassPathStartUsesTheClassPathAndTheMainClass() {
        var cmd = JavaLaunch.of("/jdk/bin/java", List.of("-XX:AOTCacheOutput=/tmp/x.aot"), List.of(), "/a/classes:/a/dep.jar",
                "dev.lathe.app.Main", "dev.lathe.app.Main", List.of("serve", "--daemon"));
        assertThat(cmd).containsExactly("/jdk/bin/java", "-cp", "/a/classes:/a/dep.jar", "dev.lathe.app.Main", "serve", "--daemon");
    }

    @Test
    void thisProcessIsRelaunchedWithItsOwnJava() {
        var cmd = JavaLaunch.ofThisProcess(List.of(), "x.Main", List.of("serve"));
        assertThat(cmd.getFirst()).endsWith("java");
        assertThat(cmd.getLast()).isEqualTo("serve");
    }
}
