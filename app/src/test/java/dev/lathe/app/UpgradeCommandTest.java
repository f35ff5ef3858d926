package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.app.release.Installation;
import dev.lathe.app.release.ReleaseServer;
import dev.lathe.app.release.ScriptRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lathe upgrade} against a release site on loopback (decision 450): a copy installed by install.sh is upgraded
 * in its prefix by the same script, run for real; the others are told their command; never a downgrade without
 * {@code --version}; a failed upgrade leaves the running version and its link as they were.
 */
class UpgradeCommandTest {
    @TempDir Path dir;
    private ReleaseServer site;
    private Path prefix;
    private Installation.Script installed;
    private Map<String, String> before;
    private final Map<String, String> env = new HashMap<>();
    private Path work;

    record Run(int exit, List<String> out, List<String> err) {}

    @BeforeEach
    void installedByTheScript() throws Exception {
        site = new ReleaseServer().publish("1.1.0").publish("1.2.0").latest("1.2.0");
        var script = new ScriptRun(dir, site.base());
        prefix = dir.resolve("prefix");
        var first = script.install("--version", "1.1.0", "--prefix", prefix.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        installed = new Installation.Script(prefix.resolve("lib/lathe/1.1.0"), prefix);
        before = ScriptRun.snapshot(prefix);
        site.requests.clear();
        env.put("LATHE_DOWNLOAD_URL", site.base());
        // the user's own folders, where their configuration lives (it may make every connection local-only)
        for (String v : List.of("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")) {
            env.put(v, dir.resolve("home").resolve(v.toLowerCase(java.util.Locale.ROOT)).toString());
        }
        env.put("LATHE_MANAGED_DIR", dir.resolve("no-policy").toString());
        work = Files.createDirectories(dir.resolve("work"));
    }

    @AfterEach
    void stop() { site.close(); }

    private Run upgrade(Installation installation, String running, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cli = new CommandLine(new UpgradeCommand(env, work, installation, running)).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (!(e instanceof UsageError)) throw e;
            commandLine.getErr().println("lathe: " + e.getMessage());
            return 2;
        });
        int exit = cli.execute(args);
        return new Run(exit, out.toString().lines().toList(), err.toString().lines().toList());
    }

    private Path link() throws Exception { return Files.readSymbolicLink(prefix.resolve("bin/lathe")); }

    @Test
    void aScriptInstallIsUpgradedInItsPrefixAndTheLinkMoves() throws Exception {
        var run = upgrade(installed, "1.1.0");

        assertThat(run.exit()).as(run.err().toString()).isZero();
        assertThat(run.out()).hasSize(1);
        assertThat(run.out().getFirst()).startsWith("lathe 1.2.0 installed in " + prefix.resolve("lib/lathe/1.2.0"));
        assertThat(link()).isEqualTo(prefix.resolve("lib/lathe/1.2.0/bin/lathe"));
        // the running version stays where it is: the process that runs it is not pulled from under itself
        assertThat(prefix.resolve("lib/lathe/1.1.0/bin/lathe")).exists();
        assertThat(site.requests).containsExactly("/latest/VERSION", "/1.2.0/SHA256SUMS", "/1.2.0/lathe-1.2.0-" + hostPlatform() + ".tar.gz");
    }

    @Test
    void aBackgroundServerStillOnTheOldVersionIsNamedWithHowToMoveOn() throws Exception {
        // a daemon of 1.1.0 answering on loopback, as server.json describes it (issue 82: the user ran old code unawares)
        var health = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        health.createContext("/health", x -> {
            byte[] body = "{\"healthy\":true,\"version\":\"1.1.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        health.start();
        try {
            Path serverJson = Files.createDirectories(Path.of(env.get("XDG_STATE_HOME")).resolve("lathe")).resolve("server.json");
            long pid = ProcessHandle.current().pid();
            Files.writeString(serverJson, "{\"url\":\"http://127.0.0.1:" + health.getAddress().getPort() + "\",\"token\":\"t\",\"pid\":" + pid
                    + ",\"version\":\"1.1.0\"}");
            var run = upgrade(installed, "1.1.0");

            assertThat(run.exit()).as(run.err().toString()).isZero();
            assertThat(run.out()).hasSize(2);
            assertThat(run.out().get(1)).isEqualTo("the background server (pid " + pid + ") still runs lathe 1.1.0: lathe stop, and the next lathe starts 1.2.0");
        } finally {
            health.stop(0);
        }
    }

    @Test
    void checkSaysWhetherANewerReleaseExistsAndChangesNothing() throws Exception {
        var newer = upgrade(installed, "1.1.0", "--check");
        var current = upgrade(installed, "1.2.0", "--check");

        assertThat(newer.exit()).isZero();
        assertThat(newer.out()).containsExactly("new version 1.2.0 available (this is 1.1.0): lathe upgrade");
        assertThat(current.exit()).isZero();
        assertThat(current.out()).containsExactly("lathe 1.2.0 is up to date (the newest release is 1.2.0)");
        assertThat(ScriptRun.snapshot(prefix)).isEqualTo(before);
        assertThat(site.requests).containsExactly("/latest/VERSION", "/latest/VERSION");
    }

    @Test
    void aNewerRunningCopyIsNeverDowngradedUnlessTheVersionIsNamed() throws Exception {
        var plain = upgrade(installed, "1.3.0");

        assertThat(plain.exit()).isZero();
        assertThat(plain.out()).containsExactly("lathe 1.3.0 is up to date (the newest release is 1.2.0)");
        assertThat(ScriptRun.snapshot(prefix)).isEqualTo(before);
        assertThat(site.requests).containsExactly("/latest/VERSION");

        var named = upgrade(installed, "1.3.0", "--version", "1.2.0");

        assertThat(named.exit()).as(named.err().toString()).isZero();
        assertThat(link()).isEqualTo(prefix.resolve("lib/lathe/1.2.0/bin/lathe"));
    }

    @Test
    void theRunningVersionIsNotInstalledAgain() throws Exception {
        var run = upgrade(installed, "1.1.0", "--version", "1.1.0");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsExactly("lathe 1.1.0 is the version running; nothing to install");
        assertThat(site.requests).isEmpty();
    }

    @Test
    void aFailedUpgradeLeavesTheRunningVersionAndItsLink() throws Exception {
        var sums = new StringBuilder();
        for (String platform : List.of("linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64")) {
            sums.append("0".repeat(64)).append("  lathe-1.2.0-").append(platform).append(".tar.gz\n");
        }
        site.put("/1.2.0/SHA256SUMS", sums.toString().getBytes(StandardCharsets.UTF_8));

        var run = upgrade(installed, "1.1.0");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).hasSize(1);
        assertThat(run.err().getFirst()).startsWith("lathe: upgrade to 1.2.0 failed: checksum mismatch for lathe-1.2.0-" + hostPlatform() + ".tar.gz")
                .endsWith("; lathe 1.1.0 stays installed");
        assertThat(ScriptRun.snapshot(prefix)).isEqualTo(before);
        assertThat(link()).isEqualTo(prefix.resolve("lib/lathe/1.1.0/bin/lathe"));
    }

    @Test
    void anUnknownVersionFailsWithTheScriptsCause() throws Exception {
        var run = upgrade(installed, "1.1.0", "--version", "9.0.0");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).containsExactly("lathe: upgrade to 9.0.0 failed: unknown version 9.0.0: there is no release at " + site.base()
                + "/9.0.0/; lathe 1.1.0 stays installed");
        assertThat(ScriptRun.snapshot(prefix)).isEqualTo(before);
    }

    @Test
    void aSiteThatDoesNotAnswerFailsWithOneLine() throws Exception {
        int closed;
        try (var socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        env.put("LATHE_DOWNLOAD_URL", "http://127.0.0.1:" + closed);

        var run = upgrade(installed, "1.1.0");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).hasSize(1);
        assertThat(run.err().getFirst()).startsWith("lathe: cannot tell the newest release: cannot reach http://127.0.0.1:" + closed + "/latest/VERSION")
                .endsWith("; check the network, point LATHE_DOWNLOAD_URL at a mirror, or name a version you know: lathe upgrade --version X.Y.Z");
        assertThat(ScriptRun.snapshot(prefix)).isEqualTo(before);
    }

    @Test
    void anNpmInstallIsToldTheNpmCommand() {
        var run = upgrade(new Installation.Npm(dir.resolve("node_modules/lathe-agent-linux-x64")), "1.1.0");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsExactly("lathe 1.2.0 is available; this copy is the npm package: npm install -g lathe-agent@1.2.0");
        assertThat(site.requests).containsExactly("/latest/VERSION");
    }

    @Test
    void theTeamServersImageIsToldToPullTheNewImageAndNothingIsWritten() throws Exception {
        Path home = Files.createDirectories(dir.resolve("opt/lathe"));
        var before = ScriptRun.snapshot(home);

        var run = upgrade(new Installation.Image(home), "1.1.0");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsExactly("lathe 1.2.0 is available; this copy runs in the team-server image: pull the image tagged 1.2.0"
                + " and recreate the container with it (its data in /data stays; docs/team-server.md)");
        assertThat(site.requests).containsExactly("/latest/VERSION");
        assertThat(ScriptRun.snapshot(home)).isEqualTo(before);
    }

    @Test
    void aCheckoutIsToldGitPullWithoutAskingTheNetwork() {
        Path checkout = dir.resolve("lathe");

        var run = upgrade(new Installation.Checkout(checkout), "0.1.0-SNAPSHOT");
        var check = upgrade(new Installation.Checkout(checkout), "0.1.0-SNAPSHOT", "--check");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsExactly("this copy runs from the checkout at " + checkout + ": update it with git -C " + checkout
                + " pull (bin/lathe rebuilds on its next run)");
        assertThat(check.out()).isEqualTo(run.out());
        assertThat(site.requests).isEmpty();
    }

    @Test
    void aBareJarAndAnArchiveUnpackedByHandAreToldHowToInstallARelease() {
        Path jar = dir.resolve("lathe.jar");
        var bare = upgrade(new Installation.Jar(Optional.of(jar)), "1.1.0");
        var unpacked = upgrade(new Installation.Unpacked(dir.resolve("opt/lathe-1.1.0")), "1.1.0");

        assertThat(bare.out()).containsExactly("this copy is a jar at " + jar + " (java -jar, not a release install): install a release with install.sh"
                + " (docs/install.md); lathe upgrade then keeps it current");
        assertThat(unpacked.exit()).isZero();
        assertThat(unpacked.out()).containsExactly("lathe 1.2.0 is available; this copy was unpacked by hand at " + dir.resolve("opt/lathe-1.1.0")
                + ": install it with install.sh (sh install.sh --version 1.2.0 --prefix DIR) or unpack its archive the same way");
    }

    @Test
    void localOnlyModeReachesOnlyASiteOnThisMachine() throws Exception {
        env.put("LATHE_NETWORK", "local");
        var loopback = upgrade(installed, "1.1.0", "--check");
        env.put("LATHE_DOWNLOAD_URL", "https://releases.example.invalid/lathe");
        var remote = upgrade(installed, "1.1.0", "--check");

        assertThat(loopback.out()).containsExactly("new version 1.2.0 available (this is 1.1.0): lathe upgrade");
        assertThat(remote.exit()).isEqualTo(1);
        assertThat(remote.err()).containsExactly("lathe: local-only mode (\"network\": \"local\"): lathe upgrade would connect to releases.example.invalid,"
                + " which is not loopback; nothing was sent (set LATHE_DOWNLOAD_URL to a mirror on this machine)");
    }

    /**
     * Issue 79: {@code "network": "local"} in the user's config file (no variable), or in the project's lathe.json where
     * it is run, keeps {@code lathe upgrade} off a site that is not on loopback: the site, on this machine's other
     * address, sees no request.
     */
    @Test
    void localOnlyModeFromAConfigFileKeepsUpgradeOffASiteThatIsNotLoopback() throws Exception {
        var address = ReleaseServer.notLoopback();
        org.junit.jupiter.api.Assumptions.assumeTrue(address.isPresent(), "this machine has an address that is not loopback");
        try (var remote = new ReleaseServer(address.get()).publish("1.2.0").latest("1.2.0")) {
            env.put("LATHE_DOWNLOAD_URL", remote.base());
            Path config = Files.createDirectories(Path.of(env.get("XDG_CONFIG_HOME"), "lathe")).resolve("lathe.json");
            Files.writeString(config, "{\"network\": \"local\"}");

            var fromUserConfig = upgrade(installed, "1.1.0", "--check");

            Files.delete(config);
            Files.writeString(work.resolve("lathe.json"), "{\"network\": \"local\"}");
            var fromProject = upgrade(installed, "1.1.0");

            String refusal = "lathe: local-only mode (\"network\": \"local\"): lathe upgrade would connect to " + remote.base().substring("http://".length())
                    + ", which is not loopback; nothing was sent (set LATHE_DOWNLOAD_URL to a mirror on this machine)";
            assertThat(fromUserConfig.exit()).isEqualTo(1);
            assertThat(fromUserConfig.err()).containsExactly(refusal);
            assertThat(fromProject.exit()).isEqualTo(1);
            assertThat(fromProject.err()).containsExactly(refusal);
            assertThat(remote.requests).as("nothing was sent").isEmpty();
            assertThat(ScriptRun.snapshot(prefix)).isEqualTo(before);
        }
    }

    /**
     * The configuration is read to learn its network mode even when the managed requiredMinimumVersion refuses this
     * Lathe: that setting is what tells the user to run lathe upgrade. The managed file's "network": "local" holds.
     */
    @Test
    void aPolicyThatRequiresANewerLatheStillLetsItUpgradeUnderThePolicysNetworkMode() throws Exception {
        Path policy = Files.createDirectories(dir.resolve("no-policy"));
        Files.writeString(policy.resolve("managed.json"), "{\"requiredMinimumVersion\": \"1.2.0\", \"network\": \"local\"}");

        var run = upgrade(installed, "1.1.0");

        assertThat(run.exit()).as(run.err().toString()).isZero();
        assertThat(link()).isEqualTo(prefix.resolve("lib/lathe/1.2.0/bin/lathe"));
        env.put("LATHE_DOWNLOAD_URL", "https://releases.example.invalid/lathe");
        assertThat(upgrade(installed, "1.1.0", "--check").err()).singleElement().asString().contains("local-only mode");
    }

    /** Issue 79: under local-only mode a name that merely starts with {@code 127.} is a name, not loopback. */
    @Test
    void aHostNameThatStartsWith127IsNotLoopback() {
        env.put("LATHE_NETWORK", "local");
        env.put("LATHE_DOWNLOAD_URL", "http://127.evil.invalid:8080/lathe");

        var run = upgrade(installed, "1.1.0", "--check");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).containsExactly("lathe: local-only mode (\"network\": \"local\"): lathe upgrade would connect to 127.evil.invalid:8080,"
                + " which is not loopback; nothing was sent (set LATHE_DOWNLOAD_URL to a mirror on this machine)");
    }

    @Test
    void badUsageIsRefusedBeforeAnyRequest() {
        var both = upgrade(installed, "1.1.0", "--check", "--version", "1.2.0");
        var notAVersion = upgrade(installed, "1.1.0", "--version", "../../x");
        env.put("LATHE_DOWNLOAD_URL", "file:///etc");
        var notHttp = upgrade(installed, "1.1.0", "--check");

        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).containsExactly("lathe: --check compares with the newest release; it takes no --version");
        assertThat(notAVersion.exit()).isEqualTo(2);
        assertThat(notAVersion.err()).containsExactly("lathe: not a version: '../../x' (expected e.g. 0.2.0)");
        assertThat(notHttp.exit()).isEqualTo(2);
        assertThat(notHttp.err()).containsExactly("lathe: LATHE_DOWNLOAD_URL must be an http(s) URL, not file:///etc");
        assertThat(site.requests).isEmpty();
    }

    @Test
    void helpNamesBothOptions() {
        var run = upgrade(installed, "1.1.0", "--help");

        assertThat(run.exit()).isZero();
        assertThat(String.join("\n", run.out())).contains("Usage: upgrade [-h] [--check] [--version=V]").contains("--version=V   install this version");
        assertThat(site.requests).isEmpty();
    }

    private static String hostPlatform() {
        String arch = System.getProperty("os.arch");
        return "linux-" + (arch.equals("aarch64") ? "arm64" : "x64");
    }
}
