package dev.lathe.protocol.session;

/** Token counts of one step, message or session. {@code input} excludes cache reads and writes. */
public record Usage(long input, long output, long reasoning, long cacheRead, long cacheWrite) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0);

    public Usage plus(Usage other) {
        return new Usage(input + other.input, output + other.output, reasoning + other.reasoning,
                cacheRead + other.cacheRead, cacheWrite + other.cacheWrite);
    }

    public long total() { return input + output + cacheRead + cacheWrite; }
}
