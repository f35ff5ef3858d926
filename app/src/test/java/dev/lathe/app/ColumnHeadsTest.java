package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code lathe import --from}'s listing: columns under their heads on a terminal, tab-separated rows to a pipe (issue 82). */
class ColumnHeadsTest {
    private static final List<String> ROWS = List.of(
            "0b5c1f0e-7a41-4f7e-9d5a-5f6b7c8d9e0a\t/home/ana/app\tFix the ürl parser\t2026-11-28T10:00:00Z\t12 messages",
            "ses_2\t/home/ana/app\tShort\t2026-11-28T11:00:00Z\t3 messages");

    private static String printed(boolean terminal) {
        var text = new StringWriter();
        try (var out = new PrintWriter(text)) {
            ColumnHeads.table(out, List.of("ID", "FOLDER", "TITLE", "UPDATED", "MESSAGES"), ROWS, terminal);
        }
        return text.toString();
    }

    @Test
    void onATerminalEveryColumnStartsUnderItsHead() {
        List<String> lines = printed(true).lines().toList();
        assertThat(lines).hasSize(3);
        for (String head : List.of("FOLDER", "TITLE", "UPDATED", "MESSAGES")) {
            int at = lines.get(0).indexOf(head);
            assertThat(at).isPositive();
            // each row's cell of that column starts where its head does, whatever the widths before it
            assertThat(lines.subList(1, 3)).allSatisfy(l -> assertThat(l.charAt(at - 1)).isEqualTo(' '))
                    .allSatisfy(l -> assertThat(l.charAt(at)).isNotEqualTo(' '));
        }
        assertThat(lines).noneMatch(l -> l.contains("\t") || l.endsWith(" "));
    }

    @Test
    void toAPipeTheRowsAloneTabSeparated() {
        assertThat(printed(false).lines().toList()).isEqualTo(ROWS);
    }
}
