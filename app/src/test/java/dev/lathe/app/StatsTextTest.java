package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.protocol.session.Usage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code lathe stats} as text: imported tokens of a priced model say so, not "$0.0000" nor "price unknown" (issue 71). */
class StatsTextTest {
    private static final Usage USED = new Usage(18_000, 600, 0, 0, 0);

    private static String text(ProjectStats stats) {
        var out = new StringWriter();
        StatsCommand.text(new PrintWriter(out, true), stats);
        return out.toString();
    }

    @Test
    void importedTokensAreNamedAsSuchAloneAndBesideWhatLatheBilled() {
        var imported = new ProjectStats.ModelStats("anthropic/claude-sonnet-4-5", 7, USED, 0, 0).unbilled();
        var unpriced = new ProjectStats.ModelStats("local/qwen", 2, USED, 0, 0);
        var billed = new ProjectStats.ModelStats("anthropic/claude-haiku-4-5", 1, USED, 12_300, 0);

        String alone = text(new ProjectStats("/p", 3, 7, 9, USED, 0, 0, List.of(imported)));
        assertThat(alone).contains("Cost      imported (not billed by Lathe)").doesNotContain("$0.0000").doesNotContain("price unknown");
        assertThat(alone.lines().filter(l -> l.startsWith("anthropic/claude-sonnet-4-5"))).singleElement()
                .satisfies(l -> assertThat(l).endsWith("imported (not billed by Lathe)"));

        assertThat(text(new ProjectStats("/p", 3, 8, 9, USED, 12_300, 0, List.of(billed, imported))))
                .contains("Cost      $0.0123 + imported (not billed by Lathe)");
        assertThat(text(new ProjectStats("/p", 1, 2, 2, USED, 0, 0, List.of(unpriced)))).contains("Cost      price unknown");
        assertThat(text(new ProjectStats("/p", 2, 9, 9, USED, 0, 0, List.of(imported, unpriced))))
                .contains("Cost      price unknown + imported (not billed by Lathe)");
    }
}
