package dev.lathe.tui.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FuzzyTest {
    @Test
    void ranksConsecutiveAndWordStartMatchesFirst() {
        assertThat(Fuzzy.rank("mdl", List.of("some-middle-thing", "model"), Function.identity())).containsExactly("model", "some-middle-thing");
        assertThat(Fuzzy.rank("cost", List.of("context", "cost"), Function.identity())).containsExactly("cost");
        assertThat(Fuzzy.rank("son45", List.of("anthropic/claude-opus-4", "anthropic/claude-sonnet-4-5"), Function.identity()))
                .containsExactly("anthropic/claude-sonnet-4-5");
        assertThat(Fuzzy.score("xyz", "model")).isEmpty();
    }
}
