package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe pair} on a terminal, where its two streams meet (issue 71): on a server that answers on loopback only,
 * the line saying a phone cannot reach the link comes before the link, and no QR code is drawn under it (issue 82).
 */
class PairIT {
    @TempDir Path home;

    @Test
    void aLoopbackServerIsSaidBeforeTheCodeIsDrawn() throws Exception {
        var lathe = new Lathe(home, "{}").daemonFirst();
        try {
            Process p = lathe.command("pair", "--minutes", "2").directory(home.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String both = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(both).isZero();
            List<String> lines = both.lines().filter(l -> !l.startsWith("lathe: starting") && !l.isBlank()).toList();
            assertThat(lines.getFirst()).startsWith("lathe: this server answers on this machine only, so a phone cannot reach the link below");
            assertThat(lines.get(1)).matches("http://127\\.0\\.0\\.1:\\d+/login\\?code=\\S+");
            // no code is drawn that a phone would scan in vain (issue 82): the link, then how to use it
            assertThat(lines).hasSize(3).noneMatch(l -> l.matches("[█▀▄ ]+"));
            assertThat(lines.getLast()).isEqualTo("lathe: a browser on this machine can open the link; it works once, for 2 minutes.");
        } finally {
            lathe.stopDaemon();
        }
    }
}
