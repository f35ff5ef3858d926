package dev.lathe.protocol.session;

/** Token counts of one step, message or session. {@code input} excludes cache reads and writes. */
public record Usage(long input, long output, long reasoning, long cacheRead, long cacheWrite) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0);

    public Usage plus(Usage other) {
        return new Usage(input + other.input, output + other.output, reasoning + other.reasoning,
                cacheRead + other.cacheRead, cacheWrite + other.cacheWrite);
    }

    public long total() { return input + output + cacheRead + cacheWrite; }

    /** The prompt as the provider counted it: uncached input plus what it read from and wrote to its cache. */
    public long prompt() { return input + cacheRead + cacheWrite; }

    /** Share of the prompt served from the provider's cache, {@code cacheRead / prompt()}; 0 when there was no prompt. */
    public double hitRatio() { return hitRatio(input, cacheRead, cacheWrite); }

    /** {@code cacheRead / (input + cacheRead + cacheWrite)}, 0 when that sum is 0 (decisions §45). */
    public static double hitRatio(long input, long cacheRead, long cacheWrite) {
        long prompt = input + cacheRead + cacheWrite;
        return prompt == 0 ? 0 : (double) cacheRead / prompt;
    }
}
