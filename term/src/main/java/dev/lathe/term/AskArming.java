package dev.lathe.term;

/**
 * No key answers an ask until it has been on screen this long (issue 42: "2, Enter" typed for the message being
 * written approved a command 0.4 s after its ask appeared, before it could be read): the TUI's ask panel and the
 * console client's line answers hold to the same time.
 */
public final class AskArming {
    /** The time an ask is shown before a key or a line may answer it. */
    public static final long MILLIS = 500;

    private AskArming() {}
}
