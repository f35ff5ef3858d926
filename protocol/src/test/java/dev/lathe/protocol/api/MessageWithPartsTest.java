package dev.lathe.protocol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A message's parts are held unmodifiable and without the nulls of parts a reader did not know; a list that is so
 * already is held as it is (a running turn's history hands one out at every step), any other is copied.
 */
class MessageWithPartsTest {
    private final SessionId session = SessionId.next();
    private final UserMessage info = new UserMessage(MessageId.next(), session, 1, "build", "a/b");

    private Part text(String text) {
        return new Part.Text(PartId.next(), session, info.id(), text, false);
    }

    @Test
    void nullsAreLeftOutAndAMutableListIsCopied() {
        Part a = text("a");
        Part b = text("b");
        var withNulls = new MessageWithParts(info, Arrays.asList(a, null, b));
        assertThat(withNulls.parts()).containsExactly(a, b);
        List<Part> mutable = new ArrayList<>(List.of(a, b));
        var copied = new MessageWithParts(info, mutable);
        mutable.add(text("later"));
        assertThat(copied.parts()).containsExactly(a, b);
        assertThatThrownBy(() -> copied.parts().add(a)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new MessageWithParts(info, null).parts()).isEmpty();
    }

    @Test
    void anUnmodifiableListWithoutNullsIsHeldAsItIs() {
        List<Part> parts = List.of(text("a"), text("b"), text("c"));
        assertThat(new MessageWithParts(info, parts).parts()).isSameAs(parts);
    }
}
