package dev.lathe.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The Lathe version this build carries: the Maven project version, or the one {@code bin/release --version} stamped
 * (version.properties), and the commit it was built from (build.properties, written by the protocol module's build
 * from {@code git log}).
 */
public final class Version {
    private static final String CURRENT = load("version.properties").getProperty("version", "dev");

    private Version() {}

    public static String current() { return CURRENT; }

    /**
     * What {@code lathe --version} prints after "lathe ": {@code VERSION (COMMIT, BUILD-DATE)}, the commit's short hash
     * and its date, so two builds of one commit say the same (a build's own clock would make the jar differ).
     */
    public static String described() {
        var build = load("build.properties");
        String commit = build.getProperty("commit", "");
        String date = build.getProperty("date", "");
        return CURRENT + " (" + (commit.length() >= 7 ? commit.substring(0, 7) : "unknown") + ", " + (date.isEmpty() ? "unknown" : date) + ")";
    }

    private static Properties load(String resource) {
        var p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream(resource)) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // no file: the defaults above
        }
        return p;
    }
}
