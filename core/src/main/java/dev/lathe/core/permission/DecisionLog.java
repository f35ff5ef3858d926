package dev.lathe.core.permission;

import java.util.List;

/**
 * Seam that sees every permission decision a tool call's gate makes (the rule that decided, before any ask) and every
 * answer to an ask. Implemented by the audit log; must not throw and should be quick: it runs on the call's thread.
 * {@link #NONE} records nothing.
 */
public interface DecisionLog {
    void decided(Decided decided);

    void answered(Answered answered);

    /**
     * What the rules said about one request of a call: {@code directory} is the session's folder, {@code patterns} the
     * values decided (command lines, paths relative to the project, URLs), {@code decision} the answer and its rule.
     */
    record Decided(String session, String directory, String callId, String permission, List<String> patterns, Decision decision) {
        public Decided {
            patterns = List.copyOf(patterns);
        }
    }

    /**
     * The answer to one ask: {@code reply} is {@code once}, {@code always} or {@code reject}; {@code by} who gave it
     * ({@code client}, or {@code allow-all} when the prompt's sender answered every ask in advance).
     */
    record Answered(String session, String directory, String callId, String permission, String askId, String reply, String by) {}

    DecisionLog NONE = new DecisionLog() {
        @Override public void decided(Decided decided) {}

        @Override public void answered(Answered answered) {}
    };
}
