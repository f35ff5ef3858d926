package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * A model Lathe can use (catalog and configured providers); token limits from the catalog or config (0 = unknown).
 *
 * @param name the catalog's display name (the id when it has none)
 * @param chat whether an agent can work with it: it calls tools and answers in text (not an embedding, speech or image
 *     model); model pickers list only these
 * @param keySource its provider's {@link ProviderInfo#keySource()}: {@code env | auth | config | none | not-needed}
 * @param price USD per million tokens, when the catalog knows it
 * @param sessionDefault whether a new session in the folder gets this model when none is named (the configured
 *     {@code model}, else the default of the first provider with a key)
 * @param configured whether its provider is set in config (the user's own local server, not only a catalog entry)
 * @param released the catalog's release date ({@code 2025-09-29}), empty when unknown: pickers list newer models first
 */
public record ModelInfo(String provider, String model, int context, int output, String name, boolean chat, String keySource,
        Optional<Price> price, boolean sessionDefault, boolean configured, String released) {

    public ModelInfo {
        released = released == null ? "" : released;
    }

    /** A model with no release date known. */
    public ModelInfo(String provider, String model, int context, int output, String name, boolean chat, String keySource,
            Optional<Price> price, boolean sessionDefault, boolean configured) {
        this(provider, model, context, output, name, chat, keySource, price, sessionDefault, configured, "");
    }

    /** A model known only by its limits (a configured one, or from an older server). */
    public ModelInfo(String provider, String model, int context, int output) {
        this(provider, model, context, output, model, true, "", Optional.empty(), false, false, "");
    }

    /** USD per million input and output tokens. */
    public record Price(double input, double output) {}

    /**
     * Whether an agent can work with it now: a chat model whose provider is set up (configured, or a key from config,
     * the auth file or the environment). What the web UI's model picker offers ({@code GET /models?usable=true}).
     */
    public boolean usable() {
        return chat && (configured || keySource.equals("env") || keySource.equals("auth") || keySource.equals("config"));
    }

    /** The {@code provider/model} form that {@code --model} and {@code "model"} take. */
    public String ref() { return provider + "/" + model; }
}
