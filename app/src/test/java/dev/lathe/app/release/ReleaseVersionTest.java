package dev.lathe.app.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseVersionTest {
    private static ReleaseVersion v(String text) { return ReleaseVersion.parse(text).orElseThrow(() -> new AssertionError("not a version: " + text)); }

    @Test
    void versionsAreOrderedByTheirNumbersThenPreReleasesBeforeTheirRelease() {
        var sorted = List.of("0.9.0", "0.10.0-rc.1", "0.10.0-rc.2", "0.10.0-rc.10", "0.10.0", "0.10.1", "1.0.0-SNAPSHOT", "1.0.0", "1.0.0.1", "10.0.0");
        for (int i = 0; i + 1 < sorted.size(); i++) {
            assertThat(v(sorted.get(i + 1)).newerThan(v(sorted.get(i)))).as(sorted.get(i + 1) + " > " + sorted.get(i)).isTrue();
            assertThat(v(sorted.get(i)).newerThan(v(sorted.get(i + 1)))).as(sorted.get(i) + " < " + sorted.get(i + 1)).isFalse();
        }
        assertThat(v("1.2").compareTo(v("1.2.0"))).isZero();
        assertThat(v("1.2.0+build.5").compareTo(v("1.2.0"))).isZero();
    }

    @Test
    void whatCouldNameAnotherFolderOrURLIsNoVersion() {
        for (String bad : List.of("", "dev", "latest", "../1.0.0", "1.0.0/..", "1..0", "1.0.0/x", "-1.0", "v1.0.0", "1.0.0-", "1.0.0-rc..1", "1.0 .0",
                "1.0.0\n", "1".repeat(65))) {
            assertThat(ReleaseVersion.parse(bad)).as("'" + bad + "'").isEmpty();
        }
    }
}
