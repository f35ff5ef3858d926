package dev.lathe.core.store.postgresql;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the team server's store is (DESIGN §20): {@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAMS]}
 * ({@code postgres://} too; the user and password percent-decoded, the port 5432 when left out; {@code PARAMS} are
 * passed to the JDBC driver as they are, e.g. {@code sslmode=verify-full}). The password is never printed: {@link #toString}
 * and {@link #describe} leave it out, and every message about the store is built from them.
 */
public record PostgresUrl(String host, int port, String database, String user, Optional<String> password, String params) {
    private static final Pattern FORM = Pattern.compile(
            "(?:postgresql|postgres)://(?<user>[^:@/?]+)(?::(?<password>[^@/?]*))?@(?<host>\\[[^\\]]+\\]|[^:/?]+)(?::(?<port>[0-9]{1,5}))?"
                    + "/(?<db>[^/?]+)(?:\\?(?<params>.*))?");

    /** Whether {@code text} names a PostgreSQL store at all (it starts with the scheme), well formed or not. */
    public static boolean isPostgres(String text) {
        return text.startsWith("postgresql:") || text.startsWith("postgres:");
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming what is wrong and the expected form, never the password
     */
    public static PostgresUrl parse(String text) {
        var m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL store URL (" + redact(text) + "): expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
        }
        int port = m.group("port") == null ? 5432 : Integer.parseInt(m.group("port"));
        if (port < 1 || port > 65535) throw new IllegalArgumentException("the port of the PostgreSQL store URL is out of range: " + port);
        return new PostgresUrl(m.group("host"), port, decode(m.group("db")), decode(m.group("user")),
                Optional.ofNullable(m.group("password")).map(PostgresUrl::decode), m.group("params") == null ? "" : m.group("params"));
    }

    /** The driver's URL: no user or password in it (they go as connection properties). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8)
                + (params.isEmpty() ? "" : "?" + params);
    }

    /** "database D on H:P as user U": what every message about this store names. */
    public String describe() {
        return "database " + database + " on " + host + ":" + port + " as user " + user;
    }

    /** The URL without its password. */
    @Override
    public String toString() {
        return "postgresql://" + user + (password.isPresent() ? ":***" : "") + "@" + host + ":" + port + "/" + database
                + (params.isEmpty() ? "" : "?" + params);
    }

    /** {@code text} with whatever stands between {@code ://USER:} and {@code @} masked: for messages about a malformed URL. */
    public static String redact(String text) {
        return text.replaceAll("(://[^:@/]*:)[^@]*@", "$1***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
