package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/lathe hands tree-sitter its libraries extracted once beside the jar (decision 548), as the release ships them:
 * without the property the library copies both to a new /tmp file in every JVM that analyses a bash command and never
 * removes them (Lathe's exit skips the JVM's shutdown). The launcher runs in a copy of its checkout around a recording
 * {@code java}, so nothing is built or started.
 */
class BinLatheNativeLibrariesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String RECORDER = "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$LATHE_TEST_ARGS\"\n";

    @TempDir Path dir;

    @Test
    void treeSittersLibrariesAreExtractedOnceBesideTheJarAndNamedToTheJvm() throws Exception {
        String arch = System.getProperty("os.arch");
        assumeTrue(System.getProperty("os.name").equals("Linux") && (arch.equals("amd64") || arch.equals("aarch64")), "a Linux launcher");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unzip")), "bin/lathe extracts with unzip");
        String platform = (arch.equals("amd64") ? "x86_64" : "aarch64") + "-linux-gnu";
        Path checkout = dir.resolve("checkout");
        Files.createDirectories(checkout.resolve("bin"));
        for (String script : List.of("lathe", "jdk25")) executable(Files.copy(ROOT.resolve("bin/" + script), checkout.resolve("bin/" + script)));
        Path jdk = dir.resolve("jdk");
        Files.createDirectories(jdk.resolve("bin"));
        executable(Files.writeString(jdk.resolve("bin/java"), RECORDER));
        executable(Files.writeString(jdk.resolve("bin/javac"), "#!/bin/sh\n"));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"25.0.3\"\n");
        Path jar = Files.createDirectories(checkout.resolve("app/target")).resolve("lathe.jar");
        try (var zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (String lib : List.of("tree-sitter", "tree-sitter-bash")) {
                zip.putNextEntry(new ZipEntry("lib/" + platform + "-" + lib + ".so"));
                zip.write(lib.getBytes(StandardCharsets.UTF_8));
            }
        }
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));

        List<String> first = run(checkout, jdk);
        Path native_ = checkout.resolve("app/target/native");
        assertThat(first).contains("-Dtree-sitter-lib=" + native_);
        Path bash = native_.resolve("lib/" + platform + "-tree-sitter-bash.so");
        assertThat(bash).hasContent("tree-sitter-bash");
        assertThat(native_.resolve("lib/" + platform + "-tree-sitter.so")).hasContent("tree-sitter");

        // the next start finds them: not written again
        FileTime extracted = FileTime.fromMillis(System.currentTimeMillis() - 30_000);
        Files.setLastModifiedTime(bash, extracted);
        assertThat(run(checkout, jdk)).contains("-Dtree-sitter-lib=" + native_);
        assertThat(Files.getLastModifiedTime(bash)).isEqualTo(extracted);
    }

    private List<String> run(Path checkout, Path jdk) throws IOException, InterruptedException {
        Path args = dir.resolve("args.txt");
        var pb = new ProcessBuilder(checkout.resolve("bin/lathe").toString(), "run", "--standalone", "hello").redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().put("JAVA_HOME", jdk.toString());
        pb.environment().put("LATHE_TEST_ARGS", args.toString());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
        return Files.readAllLines(args);
    }

    private static Path executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
