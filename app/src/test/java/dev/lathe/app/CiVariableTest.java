package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CiVariableTest {
    @Test
    void ciIsSetByAnyValueButEmptyFalseOrZero() {
        assertThat(CiVariable.isSet(Map.of("CI", "true"))).isTrue();
        assertThat(CiVariable.isSet(Map.of("CI", "1"))).isTrue();
        assertThat(CiVariable.isSet(Map.of("CI", "woodpecker"))).isTrue();
        assertThat(CiVariable.isSet(Map.of())).isFalse();
        assertThat(CiVariable.isSet(Map.of("CI", ""))).isFalse();
        assertThat(CiVariable.isSet(Map.of("CI", "false"))).isFalse();
        assertThat(CiVariable.isSet(Map.of("CI", "FALSE"))).isFalse();
        assertThat(CiVariable.isSet(Map.of("CI", "0"))).isFalse();
    }
}
