package dev.lathe.server.http;

import dev.lathe.core.store.StoreException;
import dev.lathe.protocol.api.LatheException;

/**
 * The HTTP status each {@link LatheException} case answers (DESIGN §6 errors). The only place a core refusal meets a
 * status: the switch has no default, so a new case does not compile until it is given one here (and in the client's
 * reverse mapping). The body is {@code {error: {code, message}}} with the exception's own code and message.
 */
final class ErrorStatus {
    private ErrorStatus() {}

    static int of(LatheException e) {
        return switch (e) {
            case LatheException.InvalidInput _ -> 400;
            case LatheException.Unauthorized _ -> 401;
            case LatheException.Forbidden _ -> 403;
            case LatheException.NotFound _ -> 404;
            case LatheException.Conflict _ -> 409;
            case LatheException.TooLarge _ -> 413;
            case LatheException.InvalidConfig _ -> 422;
            case LatheException.CommandFailed _ -> 422;
            case LatheException.Failed _ -> 500;
            case LatheException.Unavailable _ -> 503;
        };
    }

    /**
     * A write the disk had no room for, as the refusal clients see: {@code 503 disk_full}, with the message naming the
     * data folder. 503 and not 507 (Insufficient Storage): it is the status clients already map back to
     * {@link LatheException.Unavailable} ("trying later may work", which is true once space is freed), so the code and
     * message reach {@code lathe run} and the terminal UI unchanged, with no new case in the protocol.
     */
    static LatheException diskFull(StoreException.DiskFull e) {
        return new LatheException.Unavailable("disk_full", e.getMessage());
    }

    /** A team server's database away: {@code 503 store_unavailable}, naming the store (never its password). */
    static LatheException storeUnreachable(StoreException.Unreachable e) {
        return new LatheException.Unavailable("store_unavailable", "the session store is not reachable now; try again once it is back: " + e.getMessage());
    }
}
