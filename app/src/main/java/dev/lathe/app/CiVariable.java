package dev.lathe.app;

import java.util.Map;

/**
 * Whether this process runs in a CI job, as CI services announce it: the {@code CI} environment variable set to
 * anything but empty, {@code false} or {@code 0} (decision: a job that writes {@code CI=false} to opt out is obeyed).
 * {@code lathe run} then runs in process (DESIGN §3): a one-shot job gains nothing from a daemon it would leave behind;
 * the terminal UI asks for no "new version" line (no one there reads it).
 */
public final class CiVariable {
    private CiVariable() {}

    public static boolean isSet(Map<String, String> env) {
        String value = env.get("CI");
        return value != null && !value.isBlank() && !value.strip().equalsIgnoreCase("false") && !value.strip().equals("0");
    }
}
