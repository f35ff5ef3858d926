package dev.lathe.server.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {
    @TempDir Path tmp;

    @Test
    void secondAcquireInTheSameProcessFailsUntilReleased() {
        Path data = tmp.resolve("data");
        try (var lock = DataDirLock.acquire(data)) {
            assertThat(lock.dataDir()).isEqualTo(data.toAbsolutePath());
            assertThatThrownBy(() -> DataDirLock.acquire(data))
                    .isInstanceOfSatisfying(DataDirLockedException.class, e -> {
                        assertThat(e.pid()).hasValue(ProcessHandle.current().pid());
                        assertThat(e.getMessage()).startsWith("another Lathe server is running on this data folder (pid "
                                + ProcessHandle.current().pid() + ")");
                    });
        }
        DataDirLock.acquire(data).close();
    }

    @Test
    void anotherProcessHoldingTheLockIsNamedByPid() throws Exception {
        Path data = tmp.resolve("data");
        String java = ProcessHandle.current().info().command().orElse("java");
        var child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), data.toString())).redirectErrorStream(true).start();
        try {
            var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> DataDirLock.acquire(data))
                    .isInstanceOfSatisfying(DataDirLockedException.class, e -> {
                        assertThat(e.pid()).hasValue(child.pid());
                        assertThat(e.getMessage()).contains("(pid " + child.pid() + ")");
                    });
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        // the OS releases a dead process's lock
        DataDirLock.acquire(data).close();
    }

    /** Child process: takes the lock, says so, and holds it until killed. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            DataDirLock.acquire(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
