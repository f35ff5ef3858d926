package dev.lathe.core.store.jdbc;

import dev.lathe.core.store.AccountStore;
import dev.lathe.protocol.SessionId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rows of {@code account} and {@code session_owner} (migration V009). */
final class JdbcAccountStore implements AccountStore {
    private static final String COLUMNS = "name, admin, token_id, token_salt, token_hash, created_at";

    private final Database db;
    private final SqlDialect dialect;

    JdbcAccountStore(Database db, SqlDialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    @Override
    public boolean add(Account a) {
        // the name is the primary key: a taken name inserts nothing (a racing second node included)
        return db.write(c -> {
            try (PreparedStatement ps = Database.prepare(c, dialect.insertOrIgnore("account(" + COLUMNS + ") VALUES (?,?,?,?,?,?)"),
                    a.name(), a.admin() ? 1 : 0, a.tokenId(), a.salt(), a.hash(), a.createdAt())) {
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean remove(String name) {
        return db.update("DELETE FROM account WHERE name = ?", name) == 1;
    }

    @Override
    public boolean replaceToken(String name, String tokenId, String salt, String hash) {
        return db.update("UPDATE account SET token_id = ?, token_salt = ?, token_hash = ? WHERE name = ?", tokenId, salt, hash, name) == 1;
    }

    @Override
    public Optional<Account> byTokenId(String tokenId) {
        return db.query("SELECT " + COLUMNS + " FROM account WHERE token_id = ?", JdbcAccountStore::account, tokenId).stream().findFirst();
    }

    @Override
    public Optional<Account> byName(String name) {
        return db.query("SELECT " + COLUMNS + " FROM account WHERE name = ?", JdbcAccountStore::account, name).stream().findFirst();
    }

    @Override
    public List<Account> list() {
        return db.query("SELECT " + COLUMNS + " FROM account ORDER BY name", JdbcAccountStore::account);
    }

    @Override
    public void own(SessionId session, String owner) {
        db.update(dialect.insertOrIgnore("session_owner(session_id, owner) VALUES (?,?)"), session.value(), owner);
    }

    @Override
    public Optional<String> ownerOf(SessionId session) {
        return db.query("SELECT owner FROM session_owner WHERE session_id = ?", rs -> rs.getString(1), session.value()).stream().findFirst();
    }

    @Override
    public Map<SessionId, String> owners() {
        var out = new LinkedHashMap<SessionId, String>();
        db.query("SELECT session_id, owner FROM session_owner ORDER BY session_id", rs -> Map.entry(new SessionId(rs.getString(1)), rs.getString(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getString(1), rs.getInt(2) != 0, rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6));
    }
}
