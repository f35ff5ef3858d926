package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptNotRun;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /cost} counts the requests and the prompts, not the answers (issue 53: "over 1 response" for ten requests). */
class CostCountsTest {
    private static MessageWithParts prompt(String id, Part.Text... more) {
        var parts = new ArrayList<Part>(List.of(new Part.Text(new PartId("prt_" + id), TurnSpendTest.SESSION, new MessageId(id), "go on", false)));
        parts.addAll(List.of(more));
        return new MessageWithParts(new UserMessage(new MessageId(id), TurnSpendTest.SESSION, 1, "build", "m"), parts);
    }

    @Test
    void tenRequestsOfOneAnswerToTwoPromptsAreSaidAsSuch() {
        List<Part> steps = new ArrayList<>();
        for (int i = 0; i < 10; i++) steps.add(TurnSpendTest.step("prt_s" + i, 100));
        var notRun = new Part.Text(new PartId("prt_n"), TurnSpendTest.SESSION, new MessageId("msg_4"), PromptNotRun.TEXT, true);
        var history = List.of(prompt("msg_1"), prompt("msg_1b"),
                new MessageWithParts(TurnSpendTest.running(1000, TurnSpendTest.ONE), steps), prompt("msg_4", notRun));

        assertThat(CostCounts.of(history)).isEqualTo("10 requests in 2 prompts");
        assertThat(CostCounts.of(List.of(prompt("msg_1")))).isEqualTo("0 requests in 1 prompt");
    }
}
