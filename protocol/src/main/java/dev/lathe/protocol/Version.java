package dev.lathe.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Lathe version this build carries (from the Maven project version). */
public final class Version {
    private static final String CURRENT = load();

    private Version() {}

    public static String current() { return CURRENT; }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) return "dev";
            var p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
