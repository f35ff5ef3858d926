package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A history's kept body is found by its first message's identity, replaced at each step, and bounded by bytes. */
class KeptBodiesTest {
    private static LlmMessage prompt(String text) {
        return LlmMessage.user(List.of(new Content.Text(text)));
    }

    @Test
    void aHistoryIsFoundByItsFirstMessageItselfNotAnEqualOne() {
        KeptBodies<String> kept = KeptBodies.upTo(1000);
        var first = prompt("read");
        kept.keep(first, "step 1", 100);
        kept.keep(first, "step 2", 200);
        assertThat(kept.find(first)).isEqualTo("step 2");
        assertThat(kept.find(prompt("read"))).isNull();
        assertThat(kept.heldBytes()).isEqualTo(200);
        assertThat(kept.found()).isEqualTo(1);
    }

    @Test
    void pastTheBoundTheLeastRecentlyUsedGoesAndABodyTooLargeIsNotKept() {
        KeptBodies<String> kept = KeptBodies.upTo(1000);
        var a = prompt("a");
        var b = prompt("b");
        var c = prompt("c");
        kept.keep(a, "a", 400);
        kept.keep(b, "b", 400);
        kept.find(a);
        kept.keep(c, "c", 400);
        assertThat(kept.find(b)).isNull();
        assertThat(kept.find(a)).isEqualTo("a");
        assertThat(kept.find(c)).isEqualTo("c");
        assertThat(kept.heldBytes()).isEqualTo(800);
        kept.keep(a, "a, grown", 1001);
        assertThat(kept.find(a)).isNull();
        assertThat(kept.heldBytes()).isEqualTo(400);
        KeptBodies<String> none = KeptBodies.none();
        none.keep(a, "a", 1);
        assertThat(none.find(a)).isNull();
    }
}
