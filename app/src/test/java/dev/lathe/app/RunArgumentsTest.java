package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunArgumentsTest {
    private static List<Object> fields(RunCommand c) {
        return List.of(c.dir, c.model, c.agent, c.session, c.continueLatest, c.format, c.allowAll, c.attach, c.standalone, c.localOnly, c.deliver, c.message);
    }

    private static RunCommand picocli(String... args) {
        var command = new RunCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void readsThePlainFormsExactlyAsPicocliDoes() {
        List<String[]> cases = List.of(
                new String[] {"explain", "this", "project"},
                new String[] {"--allow-all", "Add a --json flag to the CLI"},
                new String[] {"--dir", "/tmp/x", "--model", "anthropic/claude-sonnet-4-5", "hello"},
                new String[] {"--dir=/tmp/x", "--model=openai/gpt-5", "--agent", "plan", "what", "--format", "json"},
                new String[] {"--continue", "/undo"},
                new String[] {"--auto", "--dir", "/tmp/x", "tidy up"},
                new String[] {"--session", "ses_01", "--format=text", "go on"},
                new String[] {"--attach", "http://127.0.0.1:4096", "--allow-all", "--continue", "x"},
                new String[] {"--model=", "empty model value"},
                new String[] {"--standalone", "--format", "json", "in a container"},
                new String[] {"--local-only", "--model", "ollama/qwen3", "offline"},
                new String[] {"--attach", "http://127.0.0.1:4096", "--session", "ses_01", "--deliver", "steer", "use v2"},
                new String[] {"--continue", "--deliver=interrupt", "stop"},
                new String[] {});
        for (String[] args : cases) {
            Optional<RunCommand> plain = RunArguments.read(args);
            assertThat(plain).as(String.join(" ", args)).isPresent();
            assertThat(fields(plain.get())).as(String.join(" ", args)).isEqualTo(fields(picocli(args)));
        }
    }

    @Test
    void leavesEverythingElseToPicocli() {
        List<String[]> cases = List.of(
                new String[] {"--help"}, new String[] {"-h"}, new String[] {"--version"}, new String[] {"-V"},
                new String[] {"--bogus", "x"}, new String[] {"--dir"}, new String[] {"--dir", "--allow-all", "x"},
                new String[] {"--format", "yaml", "x"}, new String[] {"--allow-all", "--allow-all", "x"},
                new String[] {"--", "--not-an-option"}, new String[] {"-5", "degrees"}, new String[] {"@args.txt"},
                new String[] {"--attach", "http://bad host", "x"}, new String[] {"--continue=true", "x"},
                new String[] {"--deliver", "later", "x"},
                new String[] {"--until", "npm test", "--max-turns", "3", "fix the tests"});
        for (String[] args : cases) assertThat(RunArguments.read(args)).as(String.join(" ", args)).isEmpty();
    }

    @Test
    void aGoalLoopsCheckAndTurnsAreReadByPicocli() {
        RunCommand command = picocli("--until", "npm test", "--max-turns", "3", "fix", "the", "tests");
        assertThat(command.until).contains("npm test");
        assertThat(command.maxTurns).contains(3);
        assertThat(command.message).containsExactly("fix", "the", "tests");
        assertThat(picocli("hello").until).isEmpty();
    }
}
