package dev.lathe.core.session.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawLogTest {
    @TempDir Path tmp;

    @Test
    void eachFailedAttemptIsOneLineAndTheLogStaysBounded() throws Exception {
        var log = new RawLog(tmp.resolve("raw"));
        var session = new SessionId("ses_raw");
        var message = MessageId.next();
        String big = "x".repeat(200_000);
        for (int i = 0; i < 40; i++) {
            log.failedAttempt(session, message.value(), "transport: reset " + i, List.of(new Part.Text(PartId.next(), session, message, "attempt " + i + big, false)));
        }
        Path file = log.file(session);
        Path older = file.resolveSibling(file.getFileName() + ".1");
        assertThat(file).exists();
        assertThat(older).exists();
        assertThat(Files.size(file)).isLessThan(RawLog.MAX_FILE_BYTES + 2 * RawLog.MAX_TEXT_CHARS);
        assertThat(Files.size(older)).isLessThan(RawLog.MAX_FILE_BYTES + 2 * RawLog.MAX_TEXT_CHARS);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.getLast()).contains("attempt 39").contains("transport: reset 39").contains("more characters not logged");
        assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
        // nothing to log, nothing written; no folder, no log
        RawLog.NONE.failedAttempt(session, message.value(), "x", List.of(new Part.Text(PartId.next(), session, message, "y", false)));
    }
}
