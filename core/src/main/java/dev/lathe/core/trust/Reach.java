package dev.lathe.core.trust;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a configuration key can reach beyond the project it is written in (DESIGN §30): the class the loader withholds
 * and pins by, and the words {@code lathe config schema} ({@code x-lathe-reach}), {@code lathe trust --show} and the
 * held-back warnings use.
 */
public enum Reach {
    /** Reads files outside the project or the user's environment into what Lathe sends or runs. */
    READS_OUTSIDE("reads-outside", "reads outside the project"),
    /** Writes (or lets a tool or the sandbox write) outside the project. */
    WRITES_OUTSIDE("writes-outside", "writes outside the project"),
    /** Starts a program of the folder's choosing. */
    RUNS_CODE("runs-code", "runs code"),
    /** Sends the user's keys, prompts or files to a host. */
    SENDS_DATA("sends-data", "sends data to a host"),
    /** Lets calls run without an ask that would otherwise ask. */
    WIDENS_PERMISSIONS("widens-permissions", "widens permissions");

    private final String id;
    private final String words;

    Reach(String id, String words) {
        this.id = id;
        this.words = words;
    }

    /** The stable name the schema and scripts see ({@code runs-code}). */
    public String id() { return id; }

    /** What a person reads ({@code runs code}). */
    public String words() { return words; }

    /** {@code runs code, sends data to a host}, in this enum's order. */
    public static String words(Set<Reach> reach) {
        return reach.stream().sorted().map(Reach::words).collect(Collectors.joining(", "));
    }
}
