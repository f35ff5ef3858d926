package dev.lathe.app;

/** The command line asked for something impossible; printed as {@code lathe: <message>} with exit code 2. */
final class UsageError extends RuntimeException {
    UsageError(String message) {
        super(message);
    }
}
