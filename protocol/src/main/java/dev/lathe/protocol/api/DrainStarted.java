package dev.lathe.protocol.api;

/**
 * Body of {@code POST /admin/drain} (DESIGN §34): the node drains. A second request while it drains gets the same
 * answer, the drain going on as the first started it.
 *
 * @param node     the draining node's id ({@code /health}'s {@code node})
 * @param draining always true: the node takes no new turn from now on
 * @param seconds  how long its running turns may go on ({@code drain.seconds}) before they are stopped
 * @param running  how many turns ran on it when the drain was asked for
 */
public record DrainStarted(String node, boolean draining, long seconds, int running) {}
