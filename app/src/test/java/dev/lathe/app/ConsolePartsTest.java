package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The pure parts of the commands. */
class ConsolePartsTest {
    @Test
    void sessionsAreListedNewestFirstWithChildrenUnderTheirParent() {
        var old = session("ses_1", Optional.empty());
        var child = session("ses_2", Optional.of("ses_1"));
        var newest = session("ses_3", Optional.empty());
        var orphan = session("ses_4", Optional.of("ses_gone"));
        assertThat(SessionsCommand.inTreeOrder(List.of(orphan, newest, child, old))).containsExactly(orphan, newest, old, child);
    }

    @Test
    void durationsReadAndPrintInTheUsualUnits() {
        var c = new DurationConverter();
        assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.convert("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.convert("0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> c.convert("10")).isInstanceOf(TypeConversionException.class);
        assertThat(DurationConverter.format(Duration.ofMinutes(30))).isEqualTo("30m");
        assertThat(DurationConverter.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void theRemoteNoticeExplainsTheTunnelAndTheProxy() {
        String wildcard = ServeCommand.remoteNotice(URI.create("http://0.0.0.0:4096"), Path.of("/s/server.json"));
        assertThat(wildcard).contains("ssh -N -L 4096:127.0.0.1:4096 USER@<this machine>")
                .contains("lathe attach http://127.0.0.1:4096").contains("/s/server.json").contains("TLS reverse proxy");
        String named = ServeCommand.remoteNotice(URI.create("http://10.0.0.5:4096"), Path.of("/s/server.json"));
        assertThat(named).contains("ssh -N -L 4096:10.0.0.5:4096 USER@10.0.0.5");
    }

    private static Session session(String id, Optional<String> parent) {
        return new Session(new SessionId(id), new ProjectId("prj_1"), "/p", parent.map(SessionId::new), id, "build", "a/b", 1, 1,
                Optional.empty(), Usage.ZERO, 0, Optional.empty());
    }
}
