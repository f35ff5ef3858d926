package dev.lathe.core.store;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;

/**
 * What was spent, for the spend limits (decision 119), asked before every step of a session that has one: so an
 * adapter sums rows an index finds and few of them, never every part of a project. What a finished answer cost is in
 * its session's totals and its message; what an answer still being written cost so far is in its {@code step-finish}
 * parts. The message the asking turn writes is left out ({@code excluding}): the turn adds its own steps from memory,
 * where the last one is before its write commits.
 *
 * <p>Tokens are uncached input, cache writes and output (reasoning is part of output): what a provider processed anew.
 * Cache reads are left out — every step reads the whole conversation again, so counting them would make a long
 * session's count grow with the square of its length.
 */
public interface SpendStore {
    /** Spent money (micro-dollars) and tokens. */
    record Spent(long microDollars, long tokens) {
        public static final Spent NONE = new Spent(0, 0);

        public Spent plus(Spent other) { return new Spent(microDollars + other.microDollars, tokens + other.tokens); }

        public Spent minus(Spent other) { return new Spent(microDollars - other.microDollars, tokens - other.tokens); }
    }

    /** The session at the top of {@code id}'s subagent tree ({@code id} itself when it has no parent or is not stored). */
    SessionId root(SessionId id);

    /**
     * What session {@code root} and its subagents spent: their totals less the answers a fork copied into them (spent by
     * the session forked, not this one), and their answers being written (but {@code excluding}).
     */
    Spent session(SessionId root, MessageId excluding);

    /**
     * What every session spent since {@code midnight} (local): the finished answers started since (a copy a fork made is
     * not spending); the steps since of answers started in the day before that finished since (a turn running past
     * midnight keeps the steps it counted while it ran); and the steps since of answers still being written (but
     * {@code excluding}'s). Each answer is counted by one of the three, never two. "Since" is read from the ids, which
     * are time-ordered.
     */
    Spent since(long midnight, MessageId excluding);

    /**
     * What the sessions of the project folder {@code directory} spent: their totals less the answers forks copied into
     * them that another row counts (as {@code /stats} counts them: a copy whose original was deleted counts once), and
     * their answers being written (but {@code excluding}).
     */
    Spent project(String directory, MessageId excluding);
}
