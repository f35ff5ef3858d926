package dev.lathe.tui.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.Question;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the console client reads the answer typed to a permission ask or a question. */
class ConsoleAsksTest {
    @Test
    void permissionAnswersAcceptShortAndLongForms() {
        assertThat(ConsoleAsks.permissionReply("o")).contains(PermissionReplyRequest.of(PermissionReply.ONCE));
        assertThat(ConsoleAsks.permissionReply("YES")).contains(PermissionReplyRequest.of(PermissionReply.ONCE));
        assertThat(ConsoleAsks.permissionReply("always")).contains(PermissionReplyRequest.of(PermissionReply.ALWAYS));
        assertThat(ConsoleAsks.permissionReply("r")).contains(PermissionReplyRequest.of(PermissionReply.REJECT));
        assertThat(ConsoleAsks.permissionReply("reject  use git mv instead"))
                .contains(new PermissionReplyRequest(PermissionReply.REJECT, Optional.of("use git mv instead")));
        assertThat(ConsoleAsks.permissionReply("maybe")).isEmpty();
    }

    @Test
    void questionAnswersAreOptionNumbersOrWords() {
        var single = new Question("Which?", List.of("red", "green", "blue"), false);
        var multiple = new Question("Which ones?", List.of("red", "green", "blue"), true);
        var open = new Question("Name?", List.of(), false);
        assertThat(ConsoleAsks.choice(single, "2")).contains(List.of("green"));
        assertThat(ConsoleAsks.choice(single, "1,3")).isEmpty();
        assertThat(ConsoleAsks.choice(single, "4")).isEmpty();
        assertThat(ConsoleAsks.choice(multiple, "1, 3")).contains(List.of("red", "blue"));
        assertThat(ConsoleAsks.choice(single, "purple, please")).contains(List.of("purple, please"));
        assertThat(ConsoleAsks.choice(open, "42")).contains(List.of("42"));
    }
}
