package dev.lathe.tui;

import java.util.Optional;

/** Whether the server answers, as the live region and the keys need to know it: nothing here changes the watch. */
interface ServerStatus {
    boolean connected();

    /** When the server was found gone; empty while connected. */
    Optional<Long> lostSince();

    /** Why the last probe or reconnect failed, for the disconnected line. */
    String reason();

    /** The server was stopped with {@code lathe stop}: no reconnect is tried until {@link ServerWatch#restart}. */
    boolean stoppedOnPurpose();
}
