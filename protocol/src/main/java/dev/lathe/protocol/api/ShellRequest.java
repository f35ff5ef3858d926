package dev.lathe.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/**
 * Body of {@code POST /sessions/{id}/shell}: a command the user runs themselves; it and its output join the transcript.
 * The session's rules for {@code bash} decide it (DESIGN §30, decision 555): a deny refuses it with 403
 * {@code permission_denied}; what they leave to ask the user answered by typing it, so nobody is asked.
 *
 * <p>{@code check}: the command is a goal loop's check ({@code lathe run --until CMD}, DESIGN §18), which runs with "the
 * same permission and sandbox as bash": the session's rules for {@code bash} decide it as they decide the model's call
 * (a deny refuses it with 403 {@code permission_denied}; an ask waits for a client's answer, a rejection is 403
 * {@code permission_rejected}), with the {@code bash} tool's longest timeout (10 minutes: a test suite is the usual
 * check). {@code allowAll}, for a check only: its ask is answered allow-once by the server, as {@code lathe run
 * --allow-all} asks for ({@link PromptRequest#allowAll}); rules that deny still deny.
 */
public record ShellRequest(String command, Optional<String> agent, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean check,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowAll) {
    public ShellRequest(String command, Optional<String> agent) {
        this(command, agent, false, false);
    }

    public static ShellRequest of(String command) { return new ShellRequest(command, Optional.empty()); }

    /** A goal loop's check: held to the session's {@code bash} rules, its asks left to a client. */
    public static ShellRequest goalCheck(String command) { return new ShellRequest(command, Optional.empty(), true, false); }

    /** This check with its ask answered allow-once by the server. */
    public ShellRequest allowingAll() { return new ShellRequest(command, agent, check, true); }
}
