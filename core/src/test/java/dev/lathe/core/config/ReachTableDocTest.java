package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/security.md} shows the table of keys as the loader uses it (DESIGN §30): the part between its markers is
 * {@link ReachSchema#markdown}. {@code LATHE_UPDATE_SNAPSHOTS=1 ./mvnw -pl core test -Dtest=ReachTableDocTest} writes it.
 */
class ReachTableDocTest {
    private static final Path DOC = Path.of("../docs/security.md");
    static final String BEGIN = "<!-- reach table: generated from ConfigKeys by ReachTableDocTest; do not edit by hand -->\n";
    static final String END = "<!-- end of reach table -->";

    @Test
    void securityDocShowsTheTableTheLoaderUses() throws IOException {
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("docs/security.md holds the reach table's markers").isNotNegative();
        String shown = doc.substring(begin + BEGIN.length(), end);
        if (System.getenv("LATHE_UPDATE_SNAPSHOTS") != null && !shown.equals(ReachSchema.markdown())) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + ReachSchema.markdown() + doc.substring(end));
            return;
        }
        assertThat(shown).as("regenerate: LATHE_UPDATE_SNAPSHOTS=1 ./mvnw -pl core test -Dtest=ReachTableDocTest").isEqualTo(ReachSchema.markdown());
    }
}
