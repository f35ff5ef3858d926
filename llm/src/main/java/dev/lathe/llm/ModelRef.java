package dev.lathe.llm;

/**
 * {@code provider/model}: the provider id is everything before the first slash, the model id the rest (which may
 * itself contain slashes, as in {@code openrouter/anthropic/claude-sonnet-4.5}).
 */
public record ModelRef(String provider, String model) {
    public static ModelRef parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("model must be written provider/model, not '" + text + "'");
        }
        return new ModelRef(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override public String toString() { return provider + "/" + model; }
}
