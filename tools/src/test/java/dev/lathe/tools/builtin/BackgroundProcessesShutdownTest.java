package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server's SIGTERM path: its shutdown hook may be the first to touch the background processes. */
class BackgroundProcessesShutdownTest {
    @Test
    void killAllWorksWhenFirstCalledDuringShutdown() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), FirstUseInShutdown.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("closed after killAll").doesNotContain("Exception");
    }

    /**
     * A JVM whose only use of {@link BackgroundProcesses} is in a shutdown hook: made there (a server closed by SIGTERM
     * while it starts) and killed, as {@code LatheCore.close()} does.
     */
    static final class FirstUseInShutdown {
        public static void main(String[] args) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                BackgroundProcesses.killedAtExit().killAll();
                System.out.println("closed after killAll");
            }));
        }
    }
}
