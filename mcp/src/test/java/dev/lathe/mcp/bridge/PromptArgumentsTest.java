package dev.lathe.mcp.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How {@code /NAME:prompt ARGS} fills a prompt's declared arguments. */
class PromptArgumentsTest {
    private static final ServerPrompts.PromptCommand TEAM = new ServerPrompts.PromptCommand("ev:team", "team", "", List.of(
            new ServerPrompts.Argument("department", "", true), new ServerPrompts.Argument("name", "", true), new ServerPrompts.Argument("note", "", false)));
    private static final ServerPrompts.PromptCommand NONE = new ServerPrompts.PromptCommand("ev:simple", "simple", "", List.of());

    @Test void wordsFillTheArgumentsInOrderTheLastTakingTheRestAsWritten() {
        var read = PromptArguments.read(TEAM, "Sales Eve be\nkind  to her");
        assertThat(read.values()).containsExactly(Map.entry("department", "Sales"), Map.entry("name", "Eve"), Map.entry("note", "be\nkind  to her"));
        assertThat(read.extra()).isEmpty();
    }

    @Test void keyValueWordsSetTheirArgumentAndTheOtherWordsFillTheRest() {
        var read = PromptArguments.read(TEAM, "name=\"Eve Smith\" Sales");
        assertThat(read.values()).containsExactly(Map.entry("department", "Sales"), Map.entry("name", "Eve Smith"));
    }

    @Test void quotedWordsHoldSpacesAndAnUndeclaredKeyIsJustAWord() {
        var read = PromptArguments.read(TEAM, "\"Customer Support\" x=1 y");
        assertThat(read.values()).containsExactly(Map.entry("department", "Customer Support"), Map.entry("name", "x=1"), Map.entry("note", "y"));
    }

    @Test void missingWordsLeaveArgumentsUnset() {
        assertThat(PromptArguments.read(TEAM, "Sales").values()).containsExactly(Map.entry("department", "Sales"));
        assertThat(PromptArguments.read(TEAM, "  ").values()).isEmpty();
    }

    @Test void textForAPromptWithoutArgumentsIsKeptAsExtra() {
        assertThat(PromptArguments.read(NONE, "be brief\nplease").extra()).isEqualTo(Optional.of("be brief\nplease"));
        assertThat(PromptArguments.read(NONE, "").extra()).isEmpty();
    }
}
