package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tools.ToolRegistry;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OS sandbox end to end (DESIGN §10, §18 "Sandbox"), with real bubblewrap, bash, git, python and a loopback
 * server, through a real session: a scripted model calls {@code bash}, the call goes through the turn loop, the
 * permission gate (every ask allowed once by the user) and the pipeline into the session's sandbox. With {@code sandbox: on} the command
 * cannot write outside the project nor into {@code .git/hooks}, cannot connect to loopback, and a {@code .env} denied
 * to {@code read} reads as empty through a form the bash analyser cannot see; with {@code off} the same commands do
 * all of that (the contrast shows the tests can fail).
 */
class SandboxTest {
    @TempDir Path tmp;

    static final String SECRET = "TOKEN_4f1c9a";

    @BeforeAll
    static void bubblewrapWorks() throws Exception {
        boolean works;
        try {
            Process p = new ProcessBuilder("bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-net", "--unshare-pid", "true")
                    .redirectErrorStream(true).start();
            works = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            works = false;
        }
        assumeTrue(works, "bubblewrap (bwrap) is not installed or cannot create namespaces here: the sandbox tests need it (.ci/run installs it)");
    }

    private static String config(String sandbox) {
        return ", \"sandbox\": " + sandbox + ", \"permission\": {\"bash\": \"allow\", \"external_directory\": \"allow\", \"read\": {\".env\": \"deny\","
                + " \"secrets/**\": \"deny\"}}";
    }

    /** What each probe did; the same commands run with the sandbox on and off. */
    record Outcome(boolean wroteVarTmp, String varTmpOutput, String outsideOutput, boolean wroteOutside, boolean wroteInside, String netOutput, int connections, boolean wroteHook,
            String envOutput, String secretsOutput) {}

    private Outcome probe(String sandbox) throws Exception {
        try (var h = new Harness(tmp, config(sandbox), ToolRegistry.builtins(), ToolCallSeams.DEFAULT);
                var server = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Path outside = Files.createDirectories(tmp.resolve("outside"));
            Files.writeString(h.project.resolve(".env"), "API=" + SECRET + "\n");
            Files.createDirectories(h.project.resolve("secrets"));
            Files.writeString(h.project.resolve("secrets/key.txt"), "KEY=" + SECRET + "\n");
            Process git = new ProcessBuilder("git", "init", "-q").directory(h.project.toFile()).inheritIO().start();
            assertThat(git.waitFor()).isZero();
            var connections = new AtomicInteger();
            server.setSoTimeout(200);
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try (var _ = server.accept()) {
                        connections.incrementAndGet();
                    } catch (SocketTimeoutException e) {
                        // poll again
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            // outside /tmp too: the sandbox's /tmp is its own, so a path there is merely missing, not refused
            Path varTmp = Path.of("/var/tmp", "lathe-sandbox-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            var s = h.session();
            // the user allows once whatever the analyser asks about: the sandbox must hold even for an approved command
            var answered = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
            Thread approver = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (var ev : h.events) {
                        if (ev.event() instanceof dev.lathe.protocol.event.Event.PermissionAsked a && answered.add(a.request().id().toString())) {
                            h.api.replyPermission(a.request().id(), dev.lathe.protocol.api.PermissionReplyRequest.of(
                                    dev.lathe.protocol.event.PermissionReply.ONCE));
                        }
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            String[][] commands = {
                    {"c1", "echo escaped > " + outside.resolve("escape.txt") + " && echo wrote-outside"},
                    {"c2", "echo kept > inside.txt && cat inside.txt"},
                    {"c3", "echo hi > /dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo connected"},
                    {"c4", "echo 'echo pwned' > .git/hooks/post-checkout && echo wrote-hook"},
                    // the names are built at run time: the analyser sees neither .env nor secrets/
                    {"c5", "cat $(printf .e)nv; python3 -c \"import os; print(open('.e' + 'nv').read())\""},
                    {"c7", "echo escaped > " + varTmp + " && echo wrote-var-tmp"},
                    {"c6", "python3 -c \"import glob; [print(open(f).read()) for f in glob.glob('sec' + 'rets/*')]\"; ls $(printf sec)rets"},
            };
            List<LlmEvent> step = new ArrayList<>();
            for (int i = 0; i < commands.length; i++) {
                step.addAll(Arrays.asList(call(i, commands[i][0], "bash", "{\"command\":" + dev.lathe.protocol.wire.WireJson.write(commands[i][1]) + "}")));
            }
            step.add(finish(StopReason.TOOL_CALLS));
            h.llm.then(step.toArray(LlmEvent[]::new));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            try {
                h.promptAndWait(s.id(), "probe");
            } catch (AssertionError e) {
                throw new AssertionError("asked: " + h.events.stream().map(ev -> ev.event()).filter(dev.lathe.protocol.event.Event.PermissionAsked.class::isInstance).toList(), e);
            }
            acceptor.interrupt();
            approver.interrupt();
            acceptor.join(2000);
            boolean wroteVarTmp = Files.deleteIfExists(varTmp);
            return new Outcome(wroteVarTmp, output(h, s, "c7"), output(h, s, "c1"), Files.exists(outside.resolve("escape.txt")), Files.exists(h.project.resolve("inside.txt")),
                    output(h, s, "c3"), connections.get(), Files.exists(h.project.resolve(".git/hooks/post-checkout")), output(h, s, "c5"),
                    output(h, s, "c6"));
        }
    }

    /** The stored result of {@code callId} (what the model and any later request see). */
    private static String output(Harness h, dev.lathe.protocol.session.Session s, String callId) {
        Part.Tool t = h.api.messages(s.id()).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance)
                .map(Part.Tool.class::cast).filter(p -> p.callId().equals(callId)).findFirst().orElseThrow();
        return switch (t.state()) {
            case ToolState.Completed c -> c.output();
            case ToolState.Failed f -> "FAILED: " + f.error();
            default -> "STATE " + t.state();
        };
    }

    @Test
    void withTheSandboxOnACommandStaysInsideTheProjectOffTheNetworkAndCannotReadDeniedFiles() throws Exception {
        Outcome on = probe("\"on\"");

        assertThat(on.wroteOutside()).isFalse();
        assertThat(on.outsideOutput()).doesNotContain("wrote-outside").contains("No such file or directory");
        assertThat(on.wroteVarTmp()).isFalse();
        assertThat(on.varTmpOutput()).doesNotContain("wrote-var-tmp").contains("Read-only file system");
        assertThat(on.wroteInside()).isTrue();
        assertThat(on.netOutput()).doesNotContain("connected");
        assertThat(on.connections()).isZero();
        assertThat(on.wroteHook()).isFalse();
        assertThat(on.envOutput()).doesNotContain(SECRET).contains("exit code: 0");
        assertThat(on.secretsOutput()).doesNotContain(SECRET).doesNotContain("key.txt");
    }

    @Test
    void withTheSandboxOffTheSameCommandsDoAllOfIt() throws Exception {
        Outcome off = probe("\"off\"");

        assertThat(off.wroteOutside()).isTrue();
        assertThat(off.wroteVarTmp()).isTrue();
        assertThat(off.wroteInside()).isTrue();
        assertThat(off.netOutput()).contains("connected");
        assertThat(off.connections()).isPositive();
        assertThat(off.wroteHook()).isTrue();
        assertThat(off.envOutput()).contains(SECRET);
        assertThat(off.secretsOutput()).contains(SECRET).contains("key.txt");
    }

    @Test
    void theObjectFormWithTheNetworkOnReachesLoopbackButStillHidesDeniedFiles() throws Exception {
        Outcome open = probe("{\"mode\": \"on\", \"network\": \"on\"}");

        assertThat(open.netOutput()).contains("connected");
        assertThat(open.wroteOutside()).isFalse();
        assertThat(open.envOutput()).doesNotContain(SECRET);
    }
}
