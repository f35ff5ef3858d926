package dev.lathe.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memo finds an encoding by the very object encoded, never by an equal one, and keeps only small ones. */
class RecentEncodingsTest {
    private record Value(String text) {}

    private final List<Value> encoded = new ArrayList<>();
    private final RecentEncodings<Value, String> memo = new RecentEncodings<>(4, 10, String::length);

    private String encode(Value v) {
        encoded.add(v);
        return "<" + v.text() + ">";
    }

    @Test
    void theSameObjectIsEncodedOnceAnEqualOneAgain() {
        var a = new Value("a");
        var equal = new Value("a");
        assertThat(memo.of(a, this::encode)).isEqualTo("<a>");
        assertThat(memo.of(a, this::encode)).isEqualTo("<a>");
        assertThat(memo.of(equal, this::encode)).isEqualTo("<a>");
        assertThat(encoded).containsExactly(a, equal);
        assertThat(encoded.get(0)).isSameAs(a);
        assertThat(encoded.get(1)).isSameAs(equal);
    }

    @Test
    void whatTheFirstConsumerEncodedTheNextFindsAndTheFirstAlwaysEncodes() {
        var a = new Value("a");
        assertThat(memo.encoded(a, this::encode)).isEqualTo("<a>");
        assertThat(memo.of(a, this::encode)).isEqualTo("<a>");
        assertThat(memo.encoded(a, this::encode)).isEqualTo("<a>");
        assertThat(encoded).containsExactly(a, a);
    }

    @Test
    void theOldestIsForgottenWhenTheSlotsAreFullAndAnEncodingTooLargeIsNotKept() {
        var first = new Value("first");
        memo.of(first, this::encode);
        for (int i = 0; i < 4; i++) memo.of(new Value("v" + i), this::encode);
        assertThat(memo.of(first, this::encode)).isEqualTo("<first>");
        assertThat(encoded.stream().filter(v -> v == first)).hasSize(2);

        var large = new Value("more than ten");
        memo.of(large, this::encode);
        memo.of(large, this::encode);
        assertThat(encoded.stream().filter(v -> v == large)).hasSize(2);
    }

    @Test
    void theSlotsArePowersOfTwo() {
        assertThatThrownBy(() -> new RecentEncodings<Value, String>(3, 10, String::length)).isInstanceOf(IllegalArgumentException.class);
    }
}
