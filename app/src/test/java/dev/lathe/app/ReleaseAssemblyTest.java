package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release workflow's publish steps that run here (decisions 460, 461): {@code release/assemble} gathers each
 * platform's {@code bin/release} dist into the flat folder a GitHub release holds, checking each dist's own
 * {@code SHA256SUMS} and writing one over all; {@code release/homebrew/formula} fills the formula with the darwin and
 * linux archives' checksums from it.
 */
class ReleaseAssemblyTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String VERSION = "1.2.3";
    private static final List<String> FOUR = List.of("linux-x64", "linux-arm64", "darwin-arm64", "darwin-x64");

    @TempDir Path dir;

    record Ran(int exit, String out, String err) {}

    private Ran run(String... command) throws Exception {
        Path out = Files.createTempFile(dir, "out", "");
        Path err = Files.createTempFile(dir, "err", "");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A dist/ as bin/release leaves it for PLATFORM: distinct bytes per file, SHA256SUMS over all. */
    private Path dist(String platform) throws Exception {
        Path dist = Files.createDirectories(dir.resolve("dist-" + platform));
        Files.createDirectories(dist.resolve("npm"));
        Files.writeString(dist.resolve("lathe-" + VERSION + "-" + platform + ".tar.gz"), "archive " + platform);
        Files.writeString(dist.resolve("npm/lathe-agent-" + platform + "-" + VERSION + ".tgz"), "npm " + platform);
        Files.writeString(dist.resolve("npm/lathe-" + VERSION + ".tgz"), "npm main");
        Files.writeString(dist.resolve("install.sh"), "#!/bin/sh\n");
        if (platform.startsWith("linux")) {
            Files.createDirectories(dist.resolve("oci"));
            Files.writeString(dist.resolve("oci/lathe-" + VERSION + ".tar"), "image " + platform);
        }
        if (platform.equals("linux-x64")) Files.writeString(dist.resolve("lathe-" + VERSION + ".cdx.json"), "{\"bomFormat\":\"CycloneDX\"}");
        var sums = new StringBuilder();
        try (var files = Files.walk(dist)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                sums.append(sha256(Files.readAllBytes(f))).append("  ").append(dist.relativize(f)).append('\n');
            }
        }
        Files.writeString(dist.resolve("SHA256SUMS"), sums);
        return dist;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private Ran assemble(Path out, Path... dists) throws Exception {
        var command = new ArrayList<>(List.of("bash", ROOT.resolve("release/assemble").toString(), VERSION, out.toString()));
        for (Path d : dists) command.add(d.toString());
        return run(command.toArray(String[]::new));
    }

    @Test
    void theDistsBecomeOneFlatFolderWithChecksumsOverAllAndTheFormulaIsFilledFromThem() throws Exception {
        var dists = new ArrayList<Path>();
        for (String platform : FOUR) dists.add(dist(platform));
        Path out = dir.resolve("release");

        var r = assemble(out, dists.toArray(Path[]::new));

        assertThat(r.exit()).as(r.err()).isZero();
        try (var names = Files.list(out)) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "lathe-1.2.3-linux-x64.tar.gz", "lathe-1.2.3-linux-arm64.tar.gz", "lathe-1.2.3-darwin-arm64.tar.gz", "lathe-1.2.3-darwin-x64.tar.gz",
                    "lathe-agent-linux-x64-1.2.3.tgz", "lathe-agent-linux-arm64-1.2.3.tgz", "lathe-agent-darwin-arm64-1.2.3.tgz",
                    "lathe-agent-darwin-x64-1.2.3.tgz", "lathe-1.2.3.tgz", "install.sh", "lathe-1.2.3.cdx.json",
                    "lathe-1.2.3-linux-x64.oci.tar", "lathe-1.2.3-linux-arm64.oci.tar", "SHA256SUMS");
        }
        assertThat(out.resolve("lathe-1.2.3-linux-arm64.oci.tar")).hasContent("image linux-arm64");
        // the published sums check every file, by the names the release page shows
        var check = new ProcessBuilder("sha256sum", "-c", "--strict", "SHA256SUMS").directory(out.toFile()).redirectErrorStream(true).start();
        assertThat(check.waitFor()).isZero();
        assertThat(Files.readAllLines(out.resolve("SHA256SUMS"))).hasSize(13).allSatisfy(l -> assertThat(l).doesNotContain("/"));

        var formula = run("bash", ROOT.resolve("release/homebrew/formula").toString(), VERSION, out.resolve("SHA256SUMS").toString());
        assertThat(formula.exit()).as(formula.err()).isZero();
        assertThat(formula.out()).contains("version \"1.2.3\"")
                .contains("url \"https://github.com/lathe-agent/lathe/releases/download/1.2.3/lathe-1.2.3-darwin-arm64.tar.gz\"")
                .contains("sha256 \"" + sha256("archive darwin-arm64".getBytes(StandardCharsets.UTF_8)) + "\"")
                .contains("sha256 \"" + sha256("archive linux-x64".getBytes(StandardCharsets.UTF_8)) + "\"")
                .doesNotContainPattern("@[A-Z0-9_]+@");
        // each archive's checksum sits under its own url
        String text = formula.out();
        for (String platform : FOUR) {
            int url = text.indexOf("lathe-1.2.3-" + platform + ".tar.gz\"");
            assertThat(text.substring(url, text.indexOf('\n', text.indexOf('\n', url) + 1)))
                    .contains(sha256(("archive " + platform).getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aDistChangedOnTheWayOrTakenTwiceIsRefusedAndNothingIsWritten() throws Exception {
        Path linux = dist("linux-x64");
        Path mac = dist("darwin-arm64");
        Files.writeString(mac.resolve("npm/lathe-agent-darwin-arm64-1.2.3.tgz"), "changed");

        var changed = assemble(dir.resolve("a"), linux, mac);
        assertThat(changed.exit()).isNotZero();
        assertThat(changed.err()).contains(mac + " does not match its own SHA256SUMS: refused");
        assertThat(dir.resolve("a")).doesNotExist();

        Path twice = Files.createDirectories(dir.resolve("copy"));
        var copy = run("cp", "-R", linux.toString(), twice.resolve("d").toString());
        assertThat(copy.exit()).isZero();
        var duplicate = assemble(dir.resolve("b"), linux, twice.resolve("d"));
        assertThat(duplicate.err()).contains("two dists for linux-x64");
        assertThat(dir.resolve("b")).doesNotExist();
    }

    @Test
    void aFormulaWithoutEveryArchivesChecksumIsNotWritten() throws Exception {
        Path linux = dist("linux-x64");
        Path out = dir.resolve("release");
        assertThat(assemble(out, linux).exit()).isZero();

        var r = run("bash", ROOT.resolve("release/homebrew/formula").toString(), VERSION, out.resolve("SHA256SUMS").toString());

        assertThat(r.exit()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("release/homebrew/formula: SHA256SUMS has no line for lathe-1.2.3-darwin-arm64.tar.gz");
        assertThat(r.out()).isEmpty();
    }
}
