package dev.lathe.protocol.session;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a failed tool call never ran because the user said no to its permission ask: a client shows it as a neutral
 * "rejected by you" note, not as an error. {@code message} is what the user told the agent with the rejection (the
 * turn then went on with it); absent for a plain "no", which stopped the turn.
 */
public record ToolRejection(By by, Optional<String> message) {
    public ToolRejection {
        message = message == null ? Optional.empty() : message;
    }

    /** Who said no: the user answering the ask (the only kind for now; a deny rule stays an error the model reads). */
    public enum By {
        USER;

        @JsonValue
        public String wire() { return name().toLowerCase(Locale.ROOT); }

        @JsonCreator
        public static By fromWire(String value) {
            for (var by : values()) if (by.wire().equals(value)) return by;
            throw new IllegalArgumentException("by must be user, not '" + value + "'");
        }
    }

    public static ToolRejection byUser(Optional<String> message) { return new ToolRejection(By.USER, message); }
}
