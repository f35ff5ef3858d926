package dev.lathe.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A release folder shaped as bin/release makes it (bin/lathe, runtime/, lib/lathe.jar, LICENSE) from the packaged jar
 * and a jlink of the JDK running the tests, and the image release/oci-image makes of it: what {@link OciImageIT} tests
 * with {@code -Dlathe.oci=build}, without a whole release build. Its launcher only runs the bundled runtime; the
 * release's own keeps bin/lathe's optimisations.
 */
final class StandInRelease {
    static final String VERSION = "0.0.0-it";
    /** What the jar needs ({@code jdeps --print-module-deps}), and the modules the JDK loads by name (zip file system, charsets). */
    private static final String MODULES = "java.base,java.desktop,java.management,java.naming,java.net.http,java.security.jgss,java.sql,"
            + "jdk.httpserver,jdk.unsupported,jdk.zipfs,jdk.charsets,jdk.crypto.ec";
    private static final String LAUNCHER = """
            #!/bin/sh
            # stand-in launcher (StandInRelease): the bundled runtime, never a JDK of the machine; no perf data file in /tmp,
# as the release's launcher
            self="$0"
            while [ -L "$self" ]; do l="$(readlink "$self")"; case "$l" in /*) self="$l" ;; *) self="${self%/*}/$l" ;; esac; done
            home="$(cd -P "${self%/*}/.." && pwd)"
            exec "$home/runtime/bin/java" -XX:+UseSerialGC -XX:-UsePerfData -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED -jar "$home/lib/lathe.jar" "$@"
            """;

    private StandInRelease() {}

    /** Makes {@code dir}/dist/lathe-VERSION and runs release/oci-image on it; returns the image tarball. */
    static Path buildImage(Path dir) throws IOException, InterruptedException {
        Path checkout = Path.of("").toAbsolutePath().getParent();
        Path dist = dir.resolve("dist/lathe-" + VERSION);
        Files.createDirectories(dist.resolve("bin"));
        Files.createDirectories(dist.resolve("lib"));
        Files.copy(Path.of(System.getProperty("lathe.jar", "target/lathe.jar")), dist.resolve("lib/lathe.jar"));
        Files.copy(checkout.resolve("LICENSE"), dist.resolve("LICENSE"));
        Files.writeString(dist.resolve("bin/lathe"), LAUNCHER, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(dist.resolve("bin/lathe"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        run(List.of(jlink.toString(), "--add-modules", MODULES, "--strip-debug", "--no-header-files", "--no-man-pages",
                "--output", dist.resolve("runtime").toString()), checkout);
        String platform = System.getProperty("os.arch").equals("aarch64") ? "linux-arm64" : "linux-x64";
        run(List.of(checkout.resolve("release/oci-image").toString(), dist.toString(), VERSION, platform), checkout);
        return dir.resolve("dist/oci/lathe-" + VERSION + ".tar");
    }

    private static void run(List<String> command, Path in) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
        System.err.print(out);
    }
}
