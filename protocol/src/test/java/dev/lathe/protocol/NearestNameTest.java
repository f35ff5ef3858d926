package dev.lathe.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NearestNameTest {
    @Test
    void aTypoNamesTheNearestKnownName() {
        assertThat(NearestName.of("--verison", List.of("--help", "--version", "--dir"))).contains("--version");
        assertThat(NearestName.of("alow", List.of("allow", "ask", "deny"))).contains("allow");
        assertThat(NearestName.of("Sesions", List.of("sessions", "models"))).as("case is ignored").contains("sessions");
        assertThat(NearestName.of("ctlr", List.of("ctrl", "alt", "shift"))).as("two letters swapped").contains("ctrl");
    }

    @Test
    void aKnownNameAFarOneOrAShortOneIsNoTypo() {
        assertThat(NearestName.of("allow", List.of("allow", "ask"))).isEmpty();
        assertThat(NearestName.of("frobnicate", List.of("allow", "ask", "deny"))).isEmpty();
        assertThat(NearestName.of("on", List.of("off", "auto"))).as("two letters are too short to guess from").isEmpty();
        assertThat(NearestName.of("", List.of("a"))).isEmpty();
    }
}
