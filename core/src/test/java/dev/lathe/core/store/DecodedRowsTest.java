package dev.lathe.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.wire.WireJson;
import org.junit.jupiter.api.Test;

class DecodedRowsTest {
    private static String text(String id, String body) {
        return WireJson.write(new Part.Text(new PartId(id), new SessionId("ses_1"), new MessageId("msg_1"), body, false));
    }

    @Test
    void theSameTextDecodesOnceAndChangedTextDecodesAgain() {
        var rows = new DecodedRows<>(Part.class, 100_000);
        String first = text("prt_1", "hello");
        Part a = rows.decode(first);
        assertThat(rows.decode(new String(first))).isSameAs(a);
        Part b = rows.decode(text("prt_1", "hello, world"));
        assertThat(b).isNotSameAs(a).isInstanceOfSatisfying(Part.Text.class, t -> assertThat(t.text()).isEqualTo("hello, world"));
    }

    @Test
    void staysWithinItsBudgetDroppingTheLeastRecentlyUsed() {
        String kept = text("prt_kept", "x".repeat(100));
        String dropped = text("prt_dropped", "z".repeat(100));
        var rows = new DecodedRows<>(Part.class, kept.length() * 20L);
        Part keptPart = rows.decode(kept);
        Part droppedPart = rows.decode(dropped);
        for (int i = 0; i < 40; i++) {
            rows.decode(text("prt_" + i, "y".repeat(100)));
            rows.decode(kept); // used again and again: never the oldest
        }
        assertThat(rows.decode(kept)).isSameAs(keptPart);
        assertThat(rows.decode(dropped)).as("pushed out, decoded again").isNotSameAs(droppedPart).isEqualTo(droppedPart);
    }
}
