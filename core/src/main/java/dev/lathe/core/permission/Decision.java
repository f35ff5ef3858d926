package dev.lathe.core.permission;

import java.util.List;

/**
 * The answer for one tool call. {@code commands}: the normalised simple commands of a bash line (words joined by
 * single spaces); {@code rule}: what decided, as {@code key: pattern} ({@code bash: git status *},
 * {@code read: .env}, {@code external_directory: *}) or {@code default} when no rule matched or the analysis
 * itself forced the answer; {@code reason}: a sentence for humans; {@code origin}: the layer (and file) of the
 * deciding rule, or what decided without one ({@link RuleOrigin}).
 */
public record Decision(Action action, List<String> commands, String rule, String reason, RuleOrigin origin) {
    public Decision {
        commands = List.copyOf(commands);
    }

    /** A decision whose origin is not stated (tests). */
    public Decision(Action action, List<String> commands, String rule, String reason) {
        this(action, commands, rule, reason, RuleOrigin.UNSTATED);
    }
}
