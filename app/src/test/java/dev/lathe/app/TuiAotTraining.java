package dev.lathe.app;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Records {@code lathe-tui.aot}: the terminal UI opened on a running server, one prompt answered, then {@code /exit}.
 * The UI needs a terminal, so it runs under util-linux's {@code script} (a pseudo-terminal; in every Debian as part
 * of bsdutils). Without it, or when any step fails, the UI starts from the in-process cache as before: the build
 * never fails for it. The UI's own classes, jline's terminal and the FFM calls behind it, and the lambda forms they
 * spin are what the in-process cache lacks (about a thousand classes loaded from the jar at each open).
 */
final class TuiAotTraining {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(90);

    private TuiAotTraining() {}

    /**
     * Opens the UI in {@code ws} with {@code env} (whose server runs), recording {@code cache}; false when it failed.
     * The turn reads a file and answers: tools the default permissions allow, so no ask holds it.
     */
    static boolean train(AotLaunch launch, Path cache, TempWorkspace ws, Map<String, String> env, FakeLlm llm, Path log)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/script"))) {
            System.err.println("AOT training: no /usr/bin/script (util-linux) for a terminal: the terminal UI starts without " + cache.getFileName());
            return false;
        }
        ws.write("a.txt", "alpha\n").write("src/b.txt", "beta\n").initGitRepo();
        llm.enqueue(Turn.of(Step.text("Reading."), Step.toolCall("c1", "read", "{\"path\":\"a.txt\"}"),
                Step.toolCall("c2", "grep", "{\"pattern\":\"beta\"}")));
        llm.enqueue(Turn.of(Step.text("Done.")));
        // the options bin/lathe gives the UI, so the recorded profiles are those of the compiler it runs with, and the
        // classes those of its terminal provider (JNI, decision 351; jline extracts its library into the training's
        // home here, which goes with it, where bin/lathe extracts it once beside the jar)
        String command = launch.command(cache, List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xms16m", "--enable-native-access=ALL-UNNAMED",
                        "-Dorg.jline.terminal.provider=jni", "-Djline.tmpdir=" + log.getParent()), List.of())
                .stream().map(TuiAotTraining::quoted).collect(Collectors.joining(" "));
        var pb = new ProcessBuilder("/usr/bin/script", "-qfec", command, "/dev/null").directory(ws.path().toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().putAll(launch.environment(cache));
        pb.environment().remove("CI");
        pb.environment().put("TERM", "xterm-256color");
        Process p = pb.start();
        var screen = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon().start(() -> copy(p, screen));
        boolean ok = false;
        String how = "no prompt";
        try (OutputStream keys = p.getOutputStream()) {
            if (await(screen, "Ask anything", p)) {
                type(keys, "train\r");
                how = "no answer";
                if (await(screen, "Done.", p)) {
                    type(keys, "/exit\r");
                    // the cache is written as the JVM exits (a second JVM assembles it), which takes a while
                    ok = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
                    how = p.isAlive() ? "no exit" : "exit " + p.exitValue();
                }
            }
        } finally {
            if (p.isAlive()) p.destroyForcibly();
            reader.join(5_000);
            Files.write(log, screenBytes(screen));
        }
        if (!ok) {
            String seen = new String(screenBytes(screen), StandardCharsets.UTF_8);
            System.err.println("AOT training of the terminal UI failed (" + how + "); it starts without " + cache.getFileName() + ". Its screen ended with:\n"
                    + seen.substring(Math.max(0, seen.length() - 2000)).replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", ""));
        }
        return ok;
    }

    private static boolean await(ByteArrayOutputStream screen, String text, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (new String(screenBytes(screen), StandardCharsets.UTF_8).contains(text)) return true;
            Thread.sleep(50);
        }
        return false;
    }

    private static byte[] screenBytes(ByteArrayOutputStream screen) {
        synchronized (screen) {
            return screen.toByteArray();
        }
    }

    private static void copy(Process p, ByteArrayOutputStream screen) {
        byte[] buf = new byte[8192];
        try (var in = p.getInputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (screen) {
                    screen.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static void type(OutputStream keys, String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
