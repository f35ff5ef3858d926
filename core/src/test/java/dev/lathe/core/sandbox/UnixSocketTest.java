package dev.lathe.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.core.config.SandboxConfig;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.toolcall.Origin;
import dev.lathe.core.toolcall.PartRecorder;
import dev.lathe.core.toolcall.ToolCall;
import dev.lathe.core.toolcall.ToolCallPipeline;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ProcessLauncher;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolRegistry;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unix sockets outside a sandbox without network, with real listeners and real bubblewrap: sockets in a folder under
 * the user's home, under the host's {@code /tmp}, in a runtime folder named by {@code XDG_RUNTIME_DIR} and inside the
 * project itself; a sandboxed {@code bash} running python's socket client reaches none, and no listener sees a
 * connection. The variables that name such sockets ({@code SSH_AUTH_SOCK}, ...) are not passed in. With the network
 * on (no filter), the same client does connect to the ones the sandbox's file system shows (the contrast).
 */
class UnixSocketTest {
    @TempDir Path tmp;
    Path project;
    Path home;
    final List<ServerSocketChannel> listeners = new ArrayList<>();
    final List<Path> sockets = new ArrayList<>();

    final ToolCallPipeline pipeline = new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT);

    /** Tries each socket path given; one line each: {@code connected PATH} or {@code refused PATH: why}. */
    static final String CLIENT = String.join("\n",
            "import socket, sys",
            "for p in sys.argv[1:]:",
            "    try:",
            "        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "        s.connect(p)",
            "        print('connected', p)",
            "    except OSError as e:",
            "        print('refused', p + ':', e)");

    @BeforeEach
    void listeners() throws Exception {
        project = Files.createDirectories(tmp.resolve("p")).toRealPath();
        home = Files.createTempDirectory(Path.of(System.getProperty("user.home")), "lathe-sock-");
        Path hostTmp = Files.createTempDirectory(Path.of("/tmp"), "lathe-sock-");
        Path runtime = Files.createDirectories(tmp.resolve("run-user"));
        for (Path folder : List.of(home, hostTmp, runtime, project)) listen(folder.resolve("agent.sock"));
    }

    private void listen(Path socket) throws Exception {
        var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        server.configureBlocking(false);
        listeners.add(server);
        sockets.add(socket);
    }

    @AfterEach
    void close() throws Exception {
        for (var l : listeners) l.close();
        for (Path s : sockets) Files.deleteIfExists(s);
        Files.deleteIfExists(home);
        Files.deleteIfExists(sockets.get(1).getParent());
    }

    private SandboxLauncher launcher(SandboxConfig.Network network) {
        return new SandboxLauncher(new SandboxConfig(SandboxConfig.Mode.ON, network, List.of()), TestLayouts.of(project, project, tmp.resolve("cfg")),
                () -> List.of(new Ruleset(List.of())), "ses_sock", ProcessLauncher.DIRECT, Optional::empty);
    }

    private String bash(String command, SandboxLauncher launcher) {
        var ctx = ToolContext.builder(project, Permissions.ALLOW_ALL).session("ses_sock").call("call_sock").output(tmp.resolve("out"))
                .launcher(launcher).build();
        return pipeline.run(ToolCall.of("bash", "{\"command\":" + dev.lathe.protocol.wire.WireJson.write(command) + "}", ctx, Origin.MODEL),
                PartRecorder.NONE).output();
    }

    private String client() {
        StringBuilder c = new StringBuilder("python3 -c " + shellQuote(CLIENT));
        for (Path s : sockets) c.append(' ').append(shellQuote(s.toString()));
        return c.toString();
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The connections each listener has waiting (a client that connected and left is still in the backlog). */
    private List<Path> accepted() throws Exception {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            try (SocketChannel c = listeners.get(i).accept()) {
                if (c != null) out.add(sockets.get(i));
            }
        }
        return out;
    }

    private static void bubblewrapWorks() {
        assumeTrue(Bubblewrap.problem().isEmpty(), () -> "bubblewrap does not work here: " + Bubblewrap.problem().orElseThrow());
    }

    @Test
    void withoutNetworkNoUnixSocketOutsideTheSandboxCanBeReached() throws Exception {
        bubblewrapWorks();

        String out = bash(client(), launcher(new SandboxConfig.Network.Off()));

        for (Path s : sockets) assertThat(out).contains("refused " + s + ":");
        assertThat(out).doesNotContain("connected");
        assertThat(accepted()).as("connections the listeners saw").isEmpty();
    }

    @Test
    void withTheNetworkOnTheSameClientConnects() throws Exception {
        bubblewrapWorks();

        String out = bash(client(), launcher(new SandboxConfig.Network.On()));

        // the sandbox's /tmp is its own either way; the home folder and the project are the host's
        assertThat(out).contains("connected " + sockets.get(0), "connected " + sockets.get(3));
        assertThat(accepted()).contains(sockets.get(0), sockets.get(3));
    }

    @Test
    void variablesNamingSocketsAreNotPassedInWithoutNetwork() throws Exception {
        bubblewrapWorks();
        var command = new ProcessBuilder("sh", "-c", "echo ssh=${SSH_AUTH_SOCK:-unset} bus=${DBUS_SESSION_BUS_ADDRESS:-unset}"
                + " docker=${DOCKER_HOST:-unset} runtime=${XDG_RUNTIME_DIR:-unset} display=${DISPLAY:-unset} kept=$KEPT").directory(project.toFile())
                .redirectErrorStream(true);
        command.environment().putAll(java.util.Map.of("SSH_AUTH_SOCK", sockets.get(0).toString(), "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=" + sockets.get(2), "DOCKER_HOST", "unix://" + sockets.get(1), "XDG_RUNTIME_DIR", sockets.get(2).getParent().toString(),
                "DISPLAY", ":0", "KEPT", "yes"));

        Process p = launcher(new SandboxConfig.Network.Off()).launch(command);

        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                .isEqualTo("ssh=unset bus=unset docker=unset runtime=unset display=unset kept=yes");
    }

    @Test
    void theRuntimeFoldersAreEmptyInsideWithoutNetwork() throws Exception {
        bubblewrapWorks();
        List<Path> hidden = SocketFolders.of(System.getenv());
        assumeTrue(!hidden.isEmpty(), "no runtime folder on this machine");
        StringBuilder c = new StringBuilder();
        for (Path f : hidden) c.append("echo ").append(shellQuote(f.toString())).append(" $(ls -A ").append(shellQuote(f.toString())).append(" | wc -l);");

        String out = bash(c.toString(), launcher(new SandboxConfig.Network.Off()));

        for (Path f : hidden) assertThat(out).contains(f + " 0");
    }
}
