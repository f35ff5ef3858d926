package dev.lathe.core.model;

/** The configured or requested model cannot be used; the message says what to fix. */
public final class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }
}
