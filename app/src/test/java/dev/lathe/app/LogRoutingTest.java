package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRoutingTest {
    @TempDir Path dir;

    @AfterEach
    void back() {
        LogRouting.toStandardError();
    }

    @Test
    void aRecordIsOneLineWithTimeLevelAndLogger() {
        String line = LogRouting.format(Instant.parse("2026-11-24T13:00:00.123Z"), System.Logger.Level.INFO, "dev.lathe.core.LatheCore",
                "repaired 2 parts", Optional.empty());
        assertThat(line).isEqualTo("[2026-11-24T13:00:00Z] INFO dev.lathe.core.LatheCore: repaired 2 parts\n");
    }

    @Test
    void routedRecordsAppendToTheFileAndDebugIsDropped() throws Exception {
        Path file = dir.resolve("state/lathe/lathe.log");
        LogRouting.toFile(() -> file);
        System.Logger log = new LogRouting().getLogger("a.Logger", LogRoutingTest.class.getModule());

        log.log(System.Logger.Level.INFO, "repaired {0} parts", 3);
        log.log(System.Logger.Level.DEBUG, "not kept");
        log.log(System.Logger.Level.WARNING, "failed", new IllegalStateException("boom"));

        String text = Files.readString(file);
        assertThat(text).contains("INFO a.Logger: repaired 3 parts\n").contains("WARNING a.Logger: failed\n")
                .contains("java.lang.IllegalStateException: boom").doesNotContain("not kept");
    }
}
