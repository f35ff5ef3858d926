package dev.lathe.core.permission.bash;

import java.util.Set;

/**
 * The environment variables a command may be given ({@code NAME=value cmd}, {@code env NAME=value cmd},
 * {@code export NAME=value}) without asking: the short list below only changes language, time zone, colours and
 * terminal size, never what a program loads or runs. Every other name asks, because interpreters, linkers, shells
 * and tools read many variables as code or as programs to run ({@code PYTHONPATH}, {@code NODE_OPTIONS},
 * {@code LD_PRELOAD}, {@code BASH_ENV}, {@code GIT_SSH_COMMAND}, {@code PAGER}, …) and no list of the dangerous ones is
 * ever complete.
 */
final class EnvironmentPrefixes {
    private EnvironmentPrefixes() {}

    private static final Set<String> HARMLESS = Set.of("LANG", "LANGUAGE", "TZ", "NO_COLOR", "FORCE_COLOR", "CLICOLOR",
            "CLICOLOR_FORCE", "TERM", "COLORTERM", "COLUMNS", "LINES", "CI", "DEBIAN_FRONTEND", "PYTHONUNBUFFERED",
            "PYTHONDONTWRITEBYTECODE", "PYTHONIOENCODING", "GIT_TERMINAL_PROMPT");

    static boolean harmless(String name) {
        return HARMLESS.contains(name) || name.startsWith("LC_");
    }

    /** The reason a non-harmless prefix asks. */
    static String reason(String name) { return "environment prefix " + name; }
}
