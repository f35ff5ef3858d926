package dev.lathe.core.permission;

import dev.lathe.protocol.api.ProjectStats;
import java.util.List;

/**
 * Seam that sees every permission decision a tool call's gate makes (the rule that decided, before any ask), every
 * answer to an ask, and every command the OS sandbox, the second layer, refused to run. Implemented by the audit log;
 * must not throw and should be quick: it runs on the call's thread. {@link #NONE} records nothing.
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

    /**
     * Auto-approval's classifier decided an ask (DESIGN §31). Not a default method: a log that wraps another must pass
     * it on, or the audit would lose the decisions (as it once did behind the telemetry's wrapper).
     */
    void auto(Auto auto);

    /**
     * One auto-approval decision of call {@code callId} of {@code session} (in folder {@code directory}): the request it
     * decided ({@code permission}, {@code patterns}) and what the classifier said ({@link Judgement}).
     */
    record Auto(String session, String directory, String callId, String permission, List<String> patterns, Judgement judgement) {
        public Auto {
            patterns = List.copyOf(patterns);
        }
    }

    /**
     * What auto-approval decided: {@code decision} {@code allow}, {@code deny}, {@code unavailable} or {@code ask} (handed
     * back to a person), the classifier's {@code reason}, its {@code model}, the {@code tokens} and cost
     * ({@code microDollars}) of its requests, and how long it took ({@code ms}).
     */
    record Judgement(String decision, String reason, String model, long tokens, long microDollars, long ms) {}

    /** The sandbox refused to run a command; by default nothing is recorded. */
    default void refused(Refused refused) {}

    /**
     * A command the sandbox refused to start ({@code sandbox: on} and no working bubblewrap): {@code command} is what
     * would have run (program and arguments, credential values already blanked), {@code reason} why it could not be
     * contained; {@code callId} is empty when the command was not started by a tool call.
     */
    record Refused(String session, String directory, String callId, List<String> command, String reason) {
        public Refused {
            command = List.copyOf(command);
        }
    }

    /**
     * What auto-approval's classifier decided and cost in {@code directory}, summed from what {@link #auto} recorded there
     * ({@code GET /stats}, {@code lathe stats}). Not a default method, as {@link #auto}: a wrapping log passes it on.
     */
    ProjectStats.AutoApproval autoSpent(String directory);

    DecisionLog NONE = new DecisionLog() {
        @Override public void decided(Decided decided) {}

        @Override public ProjectStats.AutoApproval autoSpent(String directory) { return new ProjectStats.AutoApproval(0, 0, 0); }

        @Override public void answered(Answered answered) {}

        @Override public void auto(Auto auto) {}
    };
}
