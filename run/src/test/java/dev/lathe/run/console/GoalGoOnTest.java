package dev.lathe.run.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a goal loop that gave up says to go on: the session and the check itself, quoted for the shell, so only the
 * message is left to write (it said {@code --until CMD MESSAGE}, met walking docs/goal-loops.md).
 */
class GoalGoOnTest {
    @TempDir Path tmp;

    @Test
    void theCheckIsNamedAndQuoted() {
        assertThat(GoalLoop.goOn(new SessionId("ses_goal"), "python3 test_dateparse.py"))
                .isEqualTo("to go on: lathe run --session ses_goal --until 'python3 test_dateparse.py' MESSAGE");
    }

    @Test
    void aQuoteInTheCheckSurvivesTheShell() throws Exception {
        String check = "grep -q 'it''s ok' log && echo \"$HOME\"";
        String line = GoalLoop.goOn(new SessionId("ses_goal"), check);
        // the shell reads the --until argument back as the check, word for word
        String quoted = line.substring(line.indexOf("--until ") + "--until ".length(), line.lastIndexOf(" MESSAGE"));
        Path out = tmp.resolve("arg");
        var p = new ProcessBuilder(List.of("sh", "-c", "printf %s " + quoted + " > " + out)).start();
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readString(out)).isEqualTo(check);
    }
}
