package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub Action's install ({@code action.yml}, {@code release/action-install.sh}; DESIGN §18 "Releases", decision
 * 459): its {@code run:} steps run with bash as a runner runs them, against a release-shaped archive and
 * {@code SHA256SUMS} served on loopback. The checksum is checked on every run (a mismatch is refused and nothing is
 * installed), a cached archive is used only when it matches, the bin folder lands in {@code GITHUB_PATH} and the phase
 * runs the installed {@code lathe}.
 */
class ActionInstallTest {
    private static final String VERSION = "1.2.3";
    private static final String ARCHIVE = "lathe-1.2.3-linux-x64.tar.gz";

    @TempDir Path dir;
    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private Path runnerTemp;
    private Path githubPath;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = files.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        runnerTemp = Files.createDirectories(dir.resolve("runner-temp"));
        githubPath = Files.createFile(dir.resolve("github-path"));
    }

    @AfterEach
    void stop() { server.stop(0); }

    private String base() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/releases"; }

    /** The folder lathe-VERSION/ with a bin/lathe that records its arguments and answers as the gate does. */
    private byte[] releaseArchive(String version, String... extraTarArguments) throws Exception {
        Path stage = Files.createTempDirectory(dir, "stage");
        Path bin = Files.createDirectories(stage.resolve("lathe-" + version + "/bin"));
        Files.writeString(bin.resolve("lathe"), """
                #!/bin/sh
                printf '%s\\n' "$@" > "$LATHE_TEST_ARGS"
                printf 'act=true\\nref=refs/pull/7/head\\n' >> "$GITHUB_OUTPUT"
                """);
        Files.setPosixFilePermissions(bin.resolve("lathe"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(stage.resolve("lathe-" + version + "/LICENSE"), "MIT\n");
        Path archive = stage.resolve("out.tar.gz");
        var command = new java.util.ArrayList<>(List.of("tar", "-czf", archive.toString(), "-C", stage.toString(), "lathe-" + version));
        command.addAll(List.of(extraTarArguments));
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();
        return Files.readAllBytes(archive);
    }

    private void publish(String version, byte[] archive, byte[] archiveTheSumsDescribe) throws Exception {
        String name = "lathe-" + version + "-linux-x64.tar.gz";
        String sums = sha256(archiveTheSumsDescribe) + "  " + name + "\n"
                + "0".repeat(64) + "  lathe-" + version + "-darwin-arm64.tar.gz\n";
        files.put("/releases/" + version + "/" + name, archive);
        files.put("/releases/" + version + "/SHA256SUMS", sums.getBytes(StandardCharsets.UTF_8));
        files.put("/releases/latest/VERSION", (version + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private CompositeActionRun.Result runAction(Map<String, String> with, Map<String, String> moreJob) throws Exception {
        var job = new java.util.HashMap<String, String>(Map.of("RUNNER_OS", "Linux", "RUNNER_ARCH", "X64",
                "RUNNER_TEMP", runnerTemp.toString(), "GITHUB_PATH", githubPath.toString(), "LATHE_DOWNLOAD_URL", base(),
                "LATHE_TEST_ARGS", dir.resolve("args").toString()));
        job.putAll(moreJob);
        return new CompositeActionRun(Path.of("..").toAbsolutePath().normalize()).run(with, job, Files.createTempDirectory(dir, "scratch"));
    }

    private int requestsFor(String file) { return requests.getOrDefault("/releases/" + VERSION + "/" + file, new AtomicInteger()).get(); }

    @Test
    void installsTheCheckedReleasePutsItsBinOnThePathAndRunsThePhaseWithItsOutputs() throws Exception {
        byte[] archive = releaseArchive(VERSION);
        publish(VERSION, archive, archive);

        var r = runAction(Map.of("version", "v1.2.3", "phase", "agent", "key-file", "/tmp/key file", "key-variable", "OPENAI_API_KEY",
                "args", "--dir sub*"), Map.of());

        assertThat(r.succeeded()).as(r.steps().toString()).isTrue();
        Path home = runnerTemp.resolve("lathe-action/1.2.3-linux-x64/lathe-1.2.3");
        assertThat(Files.readAllLines(githubPath)).containsExactly(home.resolve("bin").toString());
        assertThat(r.outputs().get("install")).containsEntry("home", home.toString()).containsEntry("downloaded", "true");
        assertThat(r.outputs().get("resolve")).containsEntry("version", VERSION).containsEntry("cache-key", "lathe-1.2.3-linux-x64-" + sha256(archive).substring(0, 16));
        // the arguments reach lathe as words: a space stays inside its word, a * is not a glob
        assertThat(Files.readAllLines(dir.resolve("args"))).containsExactly("github", "run", "--phase", "agent", "--key-file", "/tmp/key file",
                "--key-variable", "OPENAI_API_KEY", "--dir", "sub*");
        // the gate's outputs reach the action's own outputs, which the workflow's jobs read
        assertThat(r.outputs().get("run")).containsEntry("act", "true").containsEntry("ref", "refs/pull/7/head");
        @SuppressWarnings("unchecked")
        var declared = (Map<String, Map<String, String>>) new CompositeActionRun(Path.of("..")).action().get("outputs");
        assertThat(declared.get("act").get("value")).isEqualTo("${{ steps.run.outputs.act }}");
        assertThat(declared.get("handoff").get("value")).isEqualTo("${{ steps.run.outputs.handoff }}");
        // the archive was saved where the cache step saves from
        assertThat(Path.of(r.outputs().get("resolve").get("archive-dir")).resolve(ARCHIVE)).hasBinaryContent(archive);
    }

    @Test
    void aDownloadThatDoesNotMatchSha256SumsIsRefusedAndNothingIsInstalled() throws Exception {
        byte[] good = releaseArchive(VERSION);
        byte[] tampered = good.clone();
        tampered[tampered.length / 2] ^= 1;
        publish(VERSION, tampered, good);

        var r = runAction(Map.of("version", VERSION, "phase", "gate"), Map.of());

        assertThat(r.last().id()).isEqualTo("install");
        assertThat(r.last().exit()).isNotZero();
        assertThat(r.last().stderr()).contains("checksum mismatch for " + ARCHIVE).contains("refused");
        assertThat(githubPath).isEmptyFile();
        assertThat(runnerTemp.resolve("lathe-action/1.2.3-linux-x64")).doesNotExist();
        assertThat(runnerTemp.resolve("lathe-action/download")).isEmptyDirectory();
        assertThat(dir.resolve("args")).as("the phase never ran").doesNotExist();
    }

    @Test
    void aCachedArchiveIsUsedWithoutADownloadAndATamperedOneIsDownloadedAgain() throws Exception {
        byte[] archive = releaseArchive(VERSION);
        publish(VERSION, archive, archive);
        Path cached = Files.createDirectories(runnerTemp.resolve("lathe-action/download")).resolve(ARCHIVE);
        Files.write(cached, archive);

        var hit = runAction(Map.of("version", VERSION), Map.of());

        assertThat(hit.succeeded()).as(hit.steps().toString()).isTrue();
        assertThat(requestsFor(ARCHIVE)).isZero();
        assertThat(requestsFor("SHA256SUMS")).as("the sums come from the release every time").isEqualTo(1);
        assertThat(hit.outputs().get("install")).containsEntry("downloaded", "false");
        assertThat(hit.steps()).extracting(CompositeActionRun.Step::id).doesNotContain("run");

        // a cache entry someone changed is not trusted: the release's own archive replaces it
        byte[] poisoned = releaseArchive(VERSION);
        poisoned[poisoned.length - 5] ^= 1;
        Files.write(cached, poisoned);
        Files.writeString(githubPath, "");
        var again = runAction(Map.of("version", VERSION), Map.of());

        assertThat(again.succeeded()).as(again.steps().toString()).isTrue();
        assertThat(again.steps().get(1).stderr()).contains("does not match SHA256SUMS: downloading it again");
        assertThat(requestsFor(ARCHIVE)).isEqualTo(1);
        assertThat(cached).hasBinaryContent(archive);
        assertThat(Files.readAllLines(githubPath)).hasSize(1);
    }

    @Test
    void aRestoredCacheFolderThatIsALinkIsNotWrittenThrough() throws Exception {
        byte[] archive = releaseArchive(VERSION);
        publish(VERSION, archive, archive);
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createDirectories(runnerTemp.resolve("lathe-action"));
        Files.createSymbolicLink(runnerTemp.resolve("lathe-action/download"), elsewhere);

        var r = runAction(Map.of("version", VERSION), Map.of());

        assertThat(r.succeeded()).as(r.steps().toString()).isTrue();
        assertThat(elsewhere).isEmptyDirectory();
        assertThat(runnerTemp.resolve("lathe-action/download")).isDirectory().isNotEqualTo(elsewhere);
        assertThat(Files.isSymbolicLink(runnerTemp.resolve("lathe-action/download"))).isFalse();
        assertThat(runnerTemp.resolve("lathe-action/download/" + ARCHIVE)).hasBinaryContent(archive);
    }

    @Test
    void anEmptyVersionIsTheActionsOwnReleaseTagElseTheNewest() throws Exception {
        byte[] archive = releaseArchive(VERSION);
        publish(VERSION, archive, archive);

        var atTag = runAction(Map.of(), Map.of("GITHUB_ACTION_REF", "v1.2.3"));
        assertThat(atTag.outputs().get("resolve")).containsEntry("version", VERSION);
        assertThat(requests).doesNotContainKey("/releases/latest/VERSION");

        var atBranch = runAction(Map.of(), Map.of("GITHUB_ACTION_REF", "main"));
        assertThat(atBranch.succeeded()).as(atBranch.steps().toString()).isTrue();
        assertThat(atBranch.outputs().get("resolve")).containsEntry("version", VERSION);
        assertThat(requests.get("/releases/latest/VERSION").get()).isEqualTo(1);
    }

    @Test
    void anArchiveWithALinkOrADotDotEntryIsRefused() throws Exception {
        Path outside = dir.resolve("outside");
        Files.writeString(outside, "not Lathe's");
        Path linkStage = Files.createTempDirectory(dir, "link");
        Files.createDirectories(linkStage.resolve("lathe-1.2.3"));
        Files.createSymbolicLink(linkStage.resolve("lathe-1.2.3/escape"), outside);
        byte[] withLink = releaseArchive(VERSION, "-C", linkStage.toString(), "lathe-1.2.3/escape");
        publish(VERSION, withLink, withLink);

        var link = runAction(Map.of("version", VERSION), Map.of());
        assertThat(link.last().exit()).isNotZero();
        assertThat(link.last().stderr()).contains("a link or a special file: refused");

        Files.createDirectories(linkStage.resolve("lathe-1.2.3/bin"));
        Files.writeString(linkStage.resolve("evil"), "x");
        byte[] dotDot = releaseArchive(VERSION, "-P", "-C", linkStage.toString(), "lathe-1.2.3/../evil");
        publish(VERSION, dotDot, dotDot);
        var up = runAction(Map.of("version", VERSION), Map.of());
        assertThat(up.last().exit()).isNotZero();
        assertThat(up.last().stderr()).contains("'..' entry: refused");
        assertThat(githubPath).isEmptyFile();
        assertThat(runnerTemp.resolve("lathe-action/1.2.3-linux-x64")).doesNotExist();
        // nothing half-made is left: no unzipped tar, no unpack folder
        try (var left = Files.list(runnerTemp.resolve("lathe-action"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsOnly("download", "SHA256SUMS");
        }
    }

    @Test
    void anUnknownRunnerAVersionThatIsNoneOrAMissingReleaseIsAOneLineError() throws Exception {
        var arm32 = runAction(Map.of("version", VERSION), Map.of("RUNNER_ARCH", "ARM"));
        assertThat(arm32.last().stderr().strip()).startsWith("lathe-action: no Lathe release is built for a Linux ARM runner").doesNotContain("\n");

        var injected = runAction(Map.of("version", "1.2.3; touch pwned"), Map.of());
        assertThat(injected.last().exit()).isNotZero();
        assertThat(injected.last().stderr()).contains("version is a release like 1.2.3");
        try (var all = Files.walk(dir)) {
            assertThat(all.filter(f -> f.getFileName().toString().equals("pwned"))).isEmpty();
        }

        var missing = runAction(Map.of("version", "9.9.9"), Map.of());
        assertThat(missing.last().exit()).isNotZero();
        assertThat(missing.last().stderr()).contains("cannot download " + base() + "/9.9.9/SHA256SUMS");
        assertThat(githubPath).isEmptyFile();
    }
}
