package dev.lathe.tools.builtin;

import dev.lathe.tools.Tool;

/** Benchmark access to the grep tool on the pure-Java search (package-private in lathe-tools), whatever is installed. */
public final class GrepAccess {
    private GrepAccess() {}

    /** The {@code grep} tool as users without ripgrep get it: {@link JavaSearch}'s walk and RE2/J. */
    public static Tool<?> javaFallback() { return new GrepTool(new JavaSearch()); }

    /** Whether the built-in {@code grep} runs ripgrep (it is on the {@code PATH}). */
    public static boolean usesRipgrep() { return Ripgrep.available(); }
}
