package dev.lathe.lsp;

import java.util.Objects;

/**
 * One diagnostic a server published, as the model reads it: {@code severity} ({@code ERROR}, {@code WARNING},
 * {@code INFO} or {@code HINT}), {@code line} and {@code column} 1-based (as {@code read} numbers lines), the message
 * on one line.
 */
public record LspProblem(String severity, int line, int column, String message) {
    public static final String ERROR = "ERROR";
    public static final String WARNING = "WARNING";
    public static final String INFO = "INFO";
    public static final String HINT = "HINT";

    public LspProblem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    /** The line of DESIGN §18: {@code ERROR [LINE:COL] MESSAGE}. */
    public String format() {
        return severity + " [" + line + ":" + column + "] " + message;
    }
}
