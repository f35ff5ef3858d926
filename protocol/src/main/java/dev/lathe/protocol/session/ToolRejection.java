package dev.lathe.protocol.session;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a failed tool call never ran because its permission was refused, so a client shows it as what it is rather than
 * as an error of the tool: {@code by} says who refused. {@code user}: the user said no to its ask ("rejected by you");
 * {@code message} is what they told the agent with it (the turn then went on with it), absent for a plain "no", which
 * stopped the turn. {@code rule}: a deny rule refused it ("denied"); {@code rule} is the deciding rule as written
 * ({@code bash: curl *}) and {@code source} the file it came from. {@code unattended}: nobody could answer its ask
 * (DESIGN §26: a background child nobody watches, a schedule, {@code lathe run --deny-asks}), so it was denied.
 */
public record ToolRejection(By by, Optional<String> message, Optional<String> rule, Optional<String> source) {
    public ToolRejection {
        message = message == null ? Optional.empty() : message;
        rule = rule == null ? Optional.empty() : rule;
        source = source == null ? Optional.empty() : source;
    }

    public ToolRejection(By by, Optional<String> message) {
        this(by, message, Optional.empty(), Optional.empty());
    }

    /** Who refused the call. */
    public enum By {
        /** The user, answering its ask. */
        USER,
        /** A deny rule. */
        RULE,
        /** Nobody could answer its ask, and {@code permission.unattended} (or {@code --deny-asks}) denied it. */
        UNATTENDED;

        @JsonValue
        public String wire() { return name().toLowerCase(Locale.ROOT); }

        @JsonCreator
        public static By fromWire(String value) {
            for (var by : values()) if (by.wire().equals(value)) return by;
            throw new IllegalArgumentException("by must be user, rule or unattended, not '" + value + "'");
        }
    }

    public static ToolRejection byUser(Optional<String> message) { return new ToolRejection(By.USER, message); }

    /** Denied by {@code rule} as written, from {@code source} (blank: a rule with no file, a test's). */
    public static ToolRejection byRule(String rule, String source) {
        return new ToolRejection(By.RULE, Optional.empty(), Optional.of(rule), Optional.ofNullable(source).filter(s -> !s.isBlank()));
    }

    /** Denied because nobody could answer its ask. */
    public static ToolRejection unattended() { return new ToolRejection(By.UNATTENDED, Optional.empty()); }

    /** A denial (by a rule or for want of anyone to answer), not the user's own "no". */
    public boolean denied() { return by != By.USER; }
}
