package dev.lathe.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The written-out equals and hashCode of {@link SessionId} are a record's: by value, as sets and maps key it. */
class SessionIdTest {
    @Test
    void equalsAndHashCodeGoByTheValueAsARecordsWould() {
        var a = new SessionId("ses_01abc");
        var same = new SessionId("ses_01abc");
        var other = new SessionId("ses_01abd");
        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other).isNotEqualTo(null).isNotEqualTo("ses_01abc");
        assertThat(a.hashCode()).isEqualTo("ses_01abc".hashCode());
        Set<SessionId> family = new HashSet<>(Set.of(a));
        assertThat(family.add(same)).isFalse();
        assertThat(family).contains(new SessionId("ses_01abc")).doesNotContain(other);
    }
}
