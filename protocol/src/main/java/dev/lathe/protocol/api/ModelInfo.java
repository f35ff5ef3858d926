package dev.lathe.protocol.api;

/** A model Lathe can use (catalog and configured providers); token limits from the catalog or config (0 = unknown). */
public record ModelInfo(String provider, String model, int context, int output) {
    /** The {@code provider/model} form that {@code --model} and {@code "model"} take. */
    public String ref() { return provider + "/" + model; }
}
