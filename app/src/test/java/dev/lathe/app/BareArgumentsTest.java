package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BareArgumentsTest {
    static final Set<String> COMMANDS = Set.of("run", "sessions", "models", "attach", "stop");

    @TempDir Path tmp;

    @Test
    void aFolderFirstThenThePrompt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("project"));
        var both = BareArguments.of(List.of(dir.toString(), "fix", "the bug"), COMMANDS);
        assertThat(both.dir()).contains(dir);
        assertThat(both.prompt()).contains("fix the bug");
        assertThat(BareArguments.of(List.of(dir.toString()), COMMANDS).prompt()).isEmpty();
        assertThat(BareArguments.of(List.of(), COMMANDS)).isEqualTo(new BareArguments(Optional.empty(), Optional.empty()));
    }

    @Test
    void wordsThatAreNoFolderAreAllThePrompt() {
        var prompt = BareArguments.of(List.of("explain", "this repo"), COMMANDS);
        assertThat(prompt.dir()).isEmpty();
        assertThat(prompt.prompt()).contains("explain this repo");
        assertThat(BareArguments.of(List.of("refactor the parser"), COMMANDS).prompt()).contains("refactor the parser");
    }

    @Test
    void aLoneWordCloseToACommandIsAMistypedCommand() {
        assertThatThrownBy(() -> BareArguments.of(List.of("sesions"), COMMANDS)).isInstanceOf(UsageError.class)
                .hasMessageContaining("did you mean 'lathe sessions'");
        assertThat(BareArguments.of(List.of("hello"), COMMANDS).prompt()).as("far from every command").contains("hello");
    }

    @Test
    void aShortCommandDoesNotSwallowEveryShortPrompt() {
        Set<String> withDb = Set.of("run", "db", "stop");
        assertThat(BareArguments.of(List.of("hi"), withDb).prompt()).contains("hi");
        assertThatThrownBy(() -> BareArguments.of(List.of("dv"), withDb)).isInstanceOf(UsageError.class).hasMessageContaining("'lathe db'");
        assertThatThrownBy(() -> BareArguments.of(List.of("rnu"), withDb)).isInstanceOf(UsageError.class).hasMessageContaining("'lathe run'");
    }
}
