package dev.lathe.tui;

import dev.lathe.protocol.api.Delivery;

/**
 * What a prompt key asks the UI's loop to do beyond changing the {@link PromptState}: requests to the server, commands,
 * screens to open. {@link PromptKeys} returns them; the loop carries them out in order, so the reducer stays a function
 * a test can drive without a server or a terminal.
 */
sealed interface PromptEffect {
    /** The text goes into the input history (kept on disk). */
    record Remember(String text) implements PromptEffect {}

    /** A {@code /command} line runs. */
    record RunCommand(String line) implements PromptEffect {}

    /** A {@code !command} line runs as the user's own shell command; it and its output join the session (DESIGN §27). */
    record RunShell(String command) implements PromptEffect {}

    /**
     * A message goes to the session (made at the first one); refused, it comes back into the input. {@code whenBusy}:
     * what it does to a turn running now (Enter steers it, Tab queues after it; DESIGN §22).
     */
    record SendPrompt(String text, Delivery whenBusy) implements PromptEffect {}

    /** The API key typed for {@code /connect} is saved: never into the history, the transcript or a prompt. */
    record SaveKey(String key) implements PromptEffect {}

    /** {@code /connect} stops waiting for a key. */
    record CancelKey() implements PromptEffect {}

    /** The server the user stopped is started again. */
    record RestartServer() implements PromptEffect {}

    /** The running turn is stopped. */
    record Abort() implements PromptEffect {}

    /** The UI ends; the session goes on in the server. */
    record Exit() implements PromptEffect {}

    /** The completion list under the input closes. */
    record CloseCompletion() implements PromptEffect {}

    /** A key bound to something outside the prompt: a picker, the transcript view, a redraw. */
    record Open(Elsewhere what) implements PromptEffect {}

    enum Elsewhere { NEXT_AGENT, PREVIOUS_AGENT, NEXT_MODE, SESSIONS, MODELS, AGENTS, TRANSCRIPT, REDRAW, REWIND }
}
