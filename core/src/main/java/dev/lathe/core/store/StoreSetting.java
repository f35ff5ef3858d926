package dev.lathe.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which store a server keeps its sessions in (DESIGN §20): {@code --store URL}, else {@code LATHE_STORE}, else
 * {@code "store"} in the server's global config; none of them, the embedded SQLite file. {@code {env:NAME}} and
 * {@code {file:PATH}} in the value are replaced by the variable's value or the file's text (trimmed), as elsewhere in
 * the config, so a password need not be written on the command line, where {@code ps} shows it.
 */
public final class StoreSetting {
    /** The variable that names the store; {@code lathe serve --store} sets it for the core it opens. */
    public static final String ENV = "LATHE_STORE";
    private static final Pattern SUBSTITUTION = Pattern.compile("\\{(env|file):([^}]+)}");

    private StoreSetting() {}

    /**
     * The store URL in force, expanded, if any.
     *
     * @throws StoreException when a {@code {env:…}} names an unset variable or a {@code {file:…}} an unreadable file
     */
    public static Optional<String> resolve(Optional<String> flag, Map<String, String> env, Optional<String> configured) {
        Optional<String> named = flag.filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(env.get(ENV)).filter(s -> !s.isBlank()))
                .or(() -> configured.filter(s -> !s.isBlank()));
        return named.map(value -> expand(value, env));
    }

    /** {@code "postgresql"} for a {@code postgresql://} URL, else {@code "sqlite"}: what {@code /health} reports. */
    public static String kind(Optional<String> url) {
        return url.isPresent() ? "postgresql" : "sqlite";
    }

    static String expand(String value, Map<String, String> env) {
        Matcher m = SUBSTITUTION.matcher(value);
        var out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2).strip();
            String replacement;
            if (m.group(1).equals("env")) {
                replacement = env.get(name);
                if (replacement == null) throw new StoreException("the store URL names {env:" + name + "}, which is not set", null);
            } else {
                Path file = Path.of(name.startsWith("~/") ? System.getProperty("user.home") + name.substring(1) : name);
                try {
                    replacement = Files.readString(file).strip();
                } catch (IOException e) {
                    throw new StoreException("the store URL names {file:" + name + "}, which cannot be read: " + e.getMessage(), null);
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
