package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 42: an unknown slash command is reported, not sent to the model; a path that starts with / is a message. */
class CommandNameTest {
    @Test
    void wordsAreCommandNamesAndPathsAreNot() {
        assertThat(Commands.commandName("comapct")).isTrue();
        assertThat(Commands.commandName("review-pr")).isTrue();
        assertThat(Commands.commandName("mcp:server:prompt")).isTrue();
        assertThat(Commands.commandName("usr/lib")).isFalse();
        assertThat(Commands.commandName("etc")).isTrue();
        assertThat(Commands.commandName("")).isFalse();
        assertThat(Commands.commandName("2")).isFalse();
        assertThat(Commands.commandName("tmp.txt")).isFalse();
    }
}
