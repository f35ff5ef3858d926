package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The team-server image release/oci-image makes (DESIGN §25, §18 "Releases"): its config names a numeric non-root user,
 * {@code lathe serve}, {@code /data} and the port variable; its root file system, unpacked layer by layer as a runtime
 * does and run through the image's own entry point, user and environment under bubblewrap, prints {@code lathe
 * --version} and serves a session whose bash call runs the image's git and ripgrep against the fake model; and where
 * podman runs, the container itself does the same.
 *
 * <p>Opt-in, as building an image takes a minute and downloads Debian's packages once:
 * {@code -Dlathe.oci=PATH/lathe-VERSION.tar} tests that image (bin/release's), {@code -Dlathe.oci=build} first makes one
 * from target/lathe.jar and a jlink of this JDK (docs/team-server.md "Run it as a container").
 */
class OciImageIT {
    private static final String NOT_ASKED = "the image test is opt-in: -Dlathe.oci=PATH/lathe-VERSION.tar or -Dlathe.oci=build";
    private static OciImage image;
    private static Path imageTar;

    @TempDir static Path shared;
    @TempDir Path tmp;

    @BeforeAll
    static void openTheImage() throws Exception {
        String asked = System.getProperty("lathe.oci", "");
        Assumptions.assumeFalse(asked.isBlank(), NOT_ASKED);
        imageTar = asked.equals("build") ? StandInRelease.buildImage(shared) : Path.of(asked).toAbsolutePath();
        assertThat(imageTar).as("the image tarball").isRegularFile();
        image = OciImage.open(imageTar, shared.resolve("layout"));
    }

    @Test
    void itsConfigRunsLatheServeAsANumericNonRootUserWithItsDataInData() {
        String user = image.setting("User");
        assertThat(user).as("a numeric uid (Kubernetes' runAsNonRoot checks it without /etc/passwd)").matches("[1-9][0-9]*(:[0-9]+)?");
        var command = new ArrayList<>(image.list("Entrypoint"));
        command.addAll(image.list("Cmd"));
        assertThat(String.join(" ", command)).contains("lathe serve");
        var env = env();
        // lathe upgrade and lathe doctor tell an image from an archive by it
        assertThat(env).containsEntry("LATHE_PORT", "4096").containsEntry("HOME", "/data").containsEntry("LATHE_INSTALLED_BY", "image");
        for (String xdg : List.of("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")) {
            assertThat(env.get(xdg)).as(xdg).startsWith("/data/");
        }
        assertThat(image.config().path("config").path("ExposedPorts").has("4096/tcp")).isTrue();
        assertThat(image.config().path("config").path("Volumes").has("/data")).isTrue();
        assertThat(image.config().path("config").path("Healthcheck").path("Test").toString()).contains("/health");
        var labels = image.config().path("config").path("Labels");
        String version = image.index().path("manifests").get(0).path("annotations").path("org.opencontainers.image.ref.name").asString();
        assertThat(labels.path("org.opencontainers.image.version").asString()).isEqualTo(version).isNotBlank();
        assertThat(labels.path("org.opencontainers.image.licenses").asString()).isEqualTo("MIT");
        assertThat(labels.path("org.opencontainers.image.source").asString()).startsWith("https://");
        assertThat(labels.path("org.opencontainers.image.revision").asString()).matches("[0-9a-f]{40}");
        assertThat(image.config().path("os").asString()).isEqualTo("linux");
    }

    @Test
    void itsRootFileSystemRunsLatheAndServesASessionAsTheImagesUser() throws Exception {
        Path root = unpackedRoot();
        assertThat(Files.getOwner(root.resolve("data")).getName()).as("/data belongs to the server's user").isIn("10001", "lathe");

        var version = inImage(root, List.of("lathe", "--version"), Map.of());
        assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String printed = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(version.exitValue()).as(printed + Files.readString(tmp.resolve("command.log"))).isZero();
        assertThat(printed).startsWith("lathe ");

        Files.createDirectories(root.resolve("data/project"));
        chown(root.resolve("data/project"));
        try (var llm = FakeLlm.start()) {
            int port = freePort();
            var serve = inImage(root, List.of(), Map.of("LATHE_PORT", String.valueOf(port), "LATHE_HOST", "127.0.0.1",
                    "LATHE_CONFIG_CONTENT", config(llm), "LATHE_DISABLE_MODELS_FETCH", "1"));
            try {
                var endpoint = DaemonIT.awaitServer(root.resolve("data/state/lathe/server.json"), serve);
                assertServesASession(URI.create("http://127.0.0.1:" + port), endpoint.token(), llm);
            } finally {
                stop(serve);
            }
        }
    }

    @Test
    void aNodeOnPostgresInTheImageAddsAUserThroughItsOwnToken() throws Exception {
        Path root = unpackedRoot();
        var cluster = PostgresCluster.shared();
        var db = cluster.newDatabase("oci_node");
        cluster.createRole("lathe_oci", "oci-Pass-1");
        cluster.psql("ALTER DATABASE " + db.name() + " OWNER TO lathe_oci");
        int port = freePort();
        // LATHE_STORE as compose and the Kubernetes Deployment give it: the password through {env:…}
        var store = Map.of("LATHE_STORE", "postgresql://lathe_oci:{env:LATHE_DB_PASSWORD}@127.0.0.1:" + db.port() + "/" + db.name(),
                "LATHE_DB_PASSWORD", "oci-Pass-1", "LATHE_DISABLE_MODELS_FETCH", "1");
        var serveEnv = new java.util.HashMap<>(store);
        serveEnv.putAll(Map.of("LATHE_PORT", String.valueOf(port), "LATHE_HOST", "127.0.0.1"));
        var serve = inImage(root, List.of(), serveEnv);
        try {
            DaemonIT.awaitServer(root.resolve("data/state/lathe/server.json"), serve);
            URI url = URI.create("http://127.0.0.1:" + port);
            assertThat(health(url)).contains("\"store\":\"postgresql\"");
            // docs/team-server.md: `docker exec lathe lathe user add ann`, i.e. the command beside the server, as its user
            var add = inImage(root, List.of("lathe", "user", "add", "ann"), store);
            assertThat(add.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String token = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(add.exitValue()).as(Files.readString(tmp.resolve("command.log"))).isZero();
            assertThat(token).startsWith("lathe_u_");
            var me = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/me")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(me.body()).contains("ann");
        } finally {
            stop(serve);
        }
    }

    @Test
    void podmanRunsTheImageAndItServesASession() throws Exception {
        Assumptions.assumeTrue(isRoot() && onPath("podman") && onPath("runc"),
                "podman with runc is not installed (apt-get install podman runc; crun refuses this machine's hybrid cgroups)");
        var podman = new Podman(tmp.resolve("podman"));
        try (var llm = FakeLlm.start()) {
            podman.run("load", "-q", "-i", imageTar.toString());
            String reference = image.index().path("manifests").get(0).path("annotations").path("io.containerd.image.name").asString();
            int port = freePort();
            // a read-only root, as deploy/kubernetes runs it (podman mounts /tmp; /data is the image's volume); the
            // host's network (this machine's loopback only is reachable); ulimits within the hard limits here, which
            // podman's defaults exceed
            podman.run("run", "-d", "--name", "lathe-it", "--read-only", "--network", "host", "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096",
                    "-e", "LATHE_PORT=" + port, "-e", "LATHE_HOST=127.0.0.1", "-e", "LATHE_CONFIG_CONTENT=" + config(llm),
                    "-e", "LATHE_DISABLE_MODELS_FETCH=1", reference);
            assertThat(podman.run("exec", "lathe-it", "id", "-u").strip()).isEqualTo("10001");
            URI url = URI.create("http://127.0.0.1:" + port);
            awaitHealth(url);
            String info = podman.run("exec", "lathe-it", "cat", "/data/state/lathe/server.json");
            String token = info.replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");
            podman.run("exec", "lathe-it", "mkdir", "-p", "/data/project");
            assertServesASession(url, token, llm);
        } finally {
            podman.close();
        }
    }

    /** A session in /data/project: the fake model asks for a bash call that runs the image's git and ripgrep, then answers. */
    private static void assertServesASession(URI url, String token, FakeLlm llm) throws Exception {
        assertThat(health(url)).contains("\"ok\":true");
        try (var client = HttpLatheClient.connect(url, token, Optional.of("/data/project"))) {
            SessionId id = client.createSession(CreateSessionRequest.in("/data/project")).id();
            llm.enqueue(Turn.of(Step.toolCall("call_1", "bash", "{\"command\": \"git --version; rg --version | head -1; id -u; pwd\"}")));
            llm.enqueue(Turn.of(Step.text("The tools are there.")));
            client.prompt(id, PromptRequest.text("which tools does this image have?"));
            for (int i = 0; i < 900; i++) {
                long done = client.messages(id).stream().filter(m -> m.info() instanceof AssistantMessage a && a.completedAt().isPresent()).count();
                if (done >= 2) break;
                Thread.sleep(100);
            }
            String history = dev.lathe.protocol.wire.WireJson.write(client.messages(id));
            assertThat(history).contains("The tools are there.").contains("git version 2.").contains("ripgrep ").contains("10001")
                    .contains("/data/project");
        }
        assertThat(llm.requests()).hasSize(2);
    }

    /** The image's layers unpacked into a folder of this test, with the /etc/hosts a runtime adds to every container. */
    private Path unpackedRoot() throws IOException, InterruptedException {
        Assumptions.assumeTrue(isRoot(), "unpacking the layers with their owners needs root");
        Path root = tmp.resolve("rootfs");
        // the user the server runs as must reach the root through its parents (a temp folder is 0700)
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        image.unpack(root);
        Files.writeString(root.resolve("etc/hosts"), "127.0.0.1 localhost\n");
        return root;
    }

    /** The image's entry point and command (or {@code command} in its place) as its user, with its environment. */
    private static Process inImage(Path root, List<String> command, Map<String, String> extraEnv) throws IOException {
        String[] ids = image.setting("User").split(":");
        var cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + ids[0], "--regid=" + (ids.length > 1 ? ids[1] : ids[0]), "--clear-groups",
                "/usr/bin/bwrap", "--unshare-user", "--unshare-pid", "--die-with-parent", "--bind", root.toString(), "/",
                "--proc", "/proc", "--dev", "/dev", "--chdir", image.setting("WorkingDir"), "--"));
        cmd.addAll(image.list("Entrypoint"));
        cmd.addAll(command.isEmpty() ? image.list("Cmd") : command);
        var builder = new ProcessBuilder(cmd).redirectError(root.getParent().resolve(command.isEmpty() ? "serve.log" : "command.log").toFile());
        builder.environment().clear();
        builder.environment().putAll(env());
        // bwrap's own init is PID 1 here, where a runtime makes tini PID 1: as a subreaper tini reaps the same
        builder.environment().put("TINI_SUBREAPER", "1");
        builder.environment().putAll(extraEnv);
        if (command.isEmpty()) builder.redirectErrorStream(true).redirectOutput(root.getParent().resolve("serve.log").toFile());
        return builder.start();
    }

    private static Map<String, String> env() {
        var env = new LinkedHashMap<String, String>();
        for (String pair : image.list("Env")) env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        return env;
    }

    private static String config(FakeLlm llm) {
        return Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-x").replaceFirst("\\{", "{\"permission\": {\"bash\": \"allow\"}, ");
    }

    private static void stop(Process process) throws InterruptedException {
        var inside = process.descendants().toList();
        inside.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            inside.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String health(URI url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void awaitHealth(URI url) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            try {
                if (health(url).contains("\"ok\":true")) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the container did not answer /health on " + url);
    }

    private static void chown(Path path) throws IOException {
        var lookup = path.getFileSystem().getUserPrincipalLookupService();
        String[] ids = image.setting("User").split(":");
        Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                .setOwner(lookup.lookupPrincipalByName(ids[0]));
        Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(lookup.lookupPrincipalByGroupName(ids.length > 1 ? ids[1] : ids[0]));
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    /** podman with a store of the test's own (nothing left in the machine's), on runc. */
    private record Podman(Path home) implements AutoCloseable {
        String run(String... args) throws IOException, InterruptedException {
            var cmd = new ArrayList<>(List.of("podman", "--root", home.resolve("root").toString(), "--runroot", home.resolve("run").toString(),
                    "--runtime", "runc"));
            cmd.addAll(List.of(args));
            var process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd.subList(0, Math.min(cmd.size(), 12))) + " failed: " + out);
            }
            return out;
        }

        @Override
        public void close() {
            try {
                run("rm", "-f", "-t", "5", "lathe-it");
                run("rmi", "-a", "-f");
            } catch (Exception | AssertionError ignored) {
                // nothing was started
            }
        }
    }
}
