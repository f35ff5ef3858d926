package dev.lathe.core.store.postgresql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A connection of its own, outside the pool, for what must keep one session on the server for a long time: the node's
 * presence lock, the events' {@code LISTEN}. The pool would recycle it, and a pooled connection held for hours is one
 * fewer for the stores.
 */
final class OwnConnection {
    private OwnConnection() {}

    /** @param application what {@code pg_stat_activity} shows for it */
    static Connection open(PostgresUrl url, String application) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", url.user());
        url.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", "5");
        props.setProperty("ApplicationName", application);
        props.setProperty("tcpKeepAlive", "true");
        return new org.postgresql.Driver().connect(url.jdbcUrl(), props);
    }
}
