package dev.lathe.tui.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FuzzyTest {
    private static List<String> rank(String query, String... candidates) {
        return Fuzzy.rank(query, List.of(candidates), Function.identity());
    }

    @Test
    void matchesSubsequencesCaseInsensitively() {
        assertThat(Fuzzy.score("mdl", "model")).isPresent();
        assertThat(Fuzzy.score("MDL", "model")).isPresent();
        assertThat(Fuzzy.score("mdl", "MoDeL")).isPresent();
        assertThat(Fuzzy.score("lm", "model")).isEmpty();
        assertThat(Fuzzy.score("models", "model")).isEmpty();
        assertThat(Fuzzy.score("", "anything")).hasValue(0);
    }

    @Test
    void prefersAStartMatchOverAConsecutiveRunInTheMiddle() {
        assertThat(rank("mdl", "some-middle-thing", "model")).containsExactly("model", "some-middle-thing");
    }

    @Test
    void prefersConsecutiveRuns() {
        assertThat(rank("comp", "c-o-m-p", "compact")).containsExactly("compact", "c-o-m-p");
        assertThat(rank("sess", "set-session", "sessions")).containsExactly("sessions", "set-session");
    }

    @Test
    void prefersWordAndPathSegmentStarts() {
        assertThat(rank("main", "src/domain/Thing.java", "src/Main.java")).containsExactly("src/Main.java", "src/domain/Thing.java");
        assertThat(rank("cs", "claude-sonnet", "chaos")).containsExactly("claude-sonnet", "chaos");
        assertThat(rank("ld", "LineDecoder", "oldfile")).containsExactly("LineDecoder", "oldfile");
    }

    @Test
    void prefersShorterCandidatesWhenOtherwiseEqual() {
        assertThat(rank("new", "newsletter", "new")).containsExactly("new", "newsletter");
    }

    @Test
    void aSpaceInTheQueryMatchesSeparators() {
        assertThat(rank("claude sonnet", "anthropic/claude-sonnet-4-5", "openai/gpt-5", "claude-opus"))
                .containsExactly("anthropic/claude-sonnet-4-5");
    }

    @Test
    void tiesKeepInputOrderAndNonMatchesAreDropped() {
        assertThat(rank("x", "ax", "bx", "cx", "none")).containsExactly("ax", "bx", "cx");
        assertThat(rank("", "b", "a", "c")).containsExactly("b", "a", "c");
    }

    @Test
    void ranksRecordsByKey() {
        record Cmd(String name) {}
        var cmds = List.of(new Cmd("undo"), new Cmd("new"), new Cmd("init"), new Cmd("sessions"), new Cmd("redo"));
        assertThat(Fuzzy.rank("n", cmds, Cmd::name)).extracting(Cmd::name).startsWith("new").contains("undo", "init", "sessions");
    }
}
