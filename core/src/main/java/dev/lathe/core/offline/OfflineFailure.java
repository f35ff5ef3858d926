package dev.lathe.core.offline;

/**
 * An offline command cannot run as asked (a config file that does not load, an unknown provider or agent): the
 * message is a sentence for the user, printed after {@code lathe: }.
 */
public final class OfflineFailure extends RuntimeException {
    public OfflineFailure(String message) {
        super(message);
    }
}
