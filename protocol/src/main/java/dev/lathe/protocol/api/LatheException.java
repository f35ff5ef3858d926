package dev.lathe.protocol.api;

/**
 * A request the API refused, by what went wrong: the case says what (a thing that does not exist, a state that does
 * not allow it, input that makes no sense, ...), {@link #code()} is the stable machine code clients see on the wire
 * ({@code not_found}, {@code config_invalid}, ...), and the message says it to a person. There is no HTTP status here:
 * the server alone maps each case to one (an exhaustive switch over this sealed type), and the HTTP client maps
 * statuses and error bodies back to these cases, so a caller of {@link LatheApi} handles the in-process and the HTTP
 * implementation the same way.
 *
 * <p>Each case has a default code; the constructor taking a code is for the few refusals that have always carried a
 * more specific one ({@code permission_denied}, {@code search_failed}, ...) and for the client, which keeps the code it
 * received byte for byte.
 */
public abstract sealed class LatheException extends RuntimeException {
    private final String code;

    private LatheException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** The stable machine code, as in {@code {error: {code, message}}}. */
    public String code() { return code; }

    /** The request names something that does not exist (a session, a message, a file, a pending ask). */
    public static final class NotFound extends LatheException {
        public NotFound(String message) { this("not_found", message); }

        public NotFound(String code, String message) { super(code, message); }
    }

    /** The request makes sense but not now: the session is busy, the thing exists already, snapshots are gone. */
    public static final class Conflict extends LatheException {
        public Conflict(String message) { this("conflict", message); }

        public Conflict(String code, String message) { super(code, message); }
    }

    /** The request itself is wrong: a missing or malformed field, an unknown agent, a model that cannot be used. */
    public static final class InvalidInput extends LatheException {
        public InvalidInput(String message) { this("bad_request", message); }

        public InvalidInput(String code, String message) { super(code, message); }
    }

    /** The project's configuration (lathe.json, a command file) is broken, so the request cannot be served. */
    public static final class InvalidConfig extends LatheException {
        public InvalidConfig(String message) { this("config_invalid", message); }

        public InvalidConfig(String code, String message) { super(code, message); }
    }

    /** A command the request runs (a {@code !cmd} line of a custom command) did not complete. */
    public static final class CommandFailed extends LatheException {
        public CommandFailed(String message) { this("command_failed", message); }

        public CommandFailed(String code, String message) { super(code, message); }
    }

    /** Refused by a rule: a permission rule, a path outside the project, an unreadable file, a foreign origin. */
    public static final class Forbidden extends LatheException {
        public Forbidden(String message) { this("forbidden", message); }

        public Forbidden(String code, String message) { super(code, message); }
    }

    /** The caller did not prove who it is (no or a wrong token, an unknown login code). */
    public static final class Unauthorized extends LatheException {
        public Unauthorized(String message) { this("unauthorized", message); }

        public Unauthorized(String code, String message) { super(code, message); }
    }

    /** What was asked for or sent is above a size limit. */
    public static final class TooLarge extends LatheException {
        public TooLarge(String message) { this("too_large", message); }

        public TooLarge(String code, String message) { super(code, message); }
    }

    /** Something the request needs is unavailable for now (snapshots cannot be read); trying later may work. */
    public static final class Unavailable extends LatheException {
        public Unavailable(String message) { this("unavailable", message); }

        public Unavailable(String code, String message) { super(code, message); }
    }

    /** The server failed to do what was asked, through no fault of the request (a file it cannot write, a search that broke). */
    public static final class Failed extends LatheException {
        public Failed(String message) { this("internal", message); }

        public Failed(String code, String message) { super(code, message); }
    }
}
