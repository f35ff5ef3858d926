package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The footer's count of refused connections: what the list said at start and the live events, each refusal once. */
class BlockedTallyTest {
    @Test
    void aRefusalListedAtStartAndToldLiveIsCountedOnce() {
        var tally = new BlockedTally();
        assertThat(tally.hint()).isEmpty();

        // GET /network/blocked at start: the folder's MCP entry and the server's catalog refresh
        assertThat(tally.add("/p", "192.0.2.1", "mcp far")).isTrue();
        assertThat(tally.add("", "models.dev", "catalog refresh")).isTrue();
        assertThat(tally.hint()).isEqualTo("local-only: 2 connections blocked (lathe doctor lists them)");

        // the same refusal as a live event (made while the list was fetched), then listed again on a resync
        assertThat(tally.add("/p", "192.0.2.1", "mcp far")).isFalse();
        assertThat(tally.add("", "models.dev", "catalog refresh")).isFalse();
        assertThat(tally.count()).isEqualTo(2);

        // another purpose to the same host is another refusal
        assertThat(tally.add("/p", "192.0.2.1", "webfetch")).isTrue();
        assertThat(tally.hint()).isEqualTo("local-only: 3 connections blocked (lathe doctor lists them)");
    }

    @Test
    void oneRefusalIsSingular() {
        var tally = new BlockedTally();
        tally.add("/p", "192.0.2.1", "model");
        assertThat(tally.hint()).isEqualTo("local-only: 1 connection blocked (lathe doctor lists them)");
    }
}
