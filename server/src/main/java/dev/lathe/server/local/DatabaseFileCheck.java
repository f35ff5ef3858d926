package dev.lathe.server.local;

import dev.lathe.core.config.LathePaths;
import dev.lathe.core.store.sqlite.Backups;
import dev.lathe.core.store.sqlite.DamagedDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lathe doctor}'s database line: where the database is, its newest backup, and the damaged files a start moved
 * aside from it (kept, never deleted, for the user to recover from or remove). Never opens the database for writing: the
 * folder listing is enough, and a backup's schema version is read without writing to it.
 */
final class DatabaseFileCheck {
    private DatabaseFileCheck() {}

    static LocalCommands.Check of(Map<String, String> env) {
        Path database = LathePaths.fromEnvironment(env).database();
        // a team node keeps its sessions in PostgreSQL: naming the SQLite file as "the database" misled (issue 53)
        boolean team = configuredStore(env) || ServerFileCheck.running(env).flatMap(ServerFileCheck::store).filter("postgresql"::equals).isPresent();
        if (team) {
            return new LocalCommands.Check("database", LocalCommands.CheckStatus.OK, "PostgreSQL: "
                    + (configuredStore(env) ? "the store below" : "the running node's (lathe doctor --store URL checks it)")
                    + "; " + database + " is not used for sessions", Optional.empty());
        }
        List<Path> aside = DamagedDatabase.movedAside(database);
        if (aside.isEmpty()) {
            return new LocalCommands.Check("database", LocalCommands.CheckStatus.OK, database + newestBackup(database), Optional.empty());
        }
        return new LocalCommands.Check("database", LocalCommands.CheckStatus.WARN,
                database + "; a damaged database was moved aside to " + aside.getLast() + " and a fresh one created in its place"
                        + (aside.size() > 1 ? " (" + aside.size() + " damaged files are kept there)" : ""),
                Optional.of("earlier sessions are in the moved file (`sqlite3 " + aside.getLast() + " .recover` may get them back); "
                        + "delete it once you no longer need it"));
    }

    private static boolean configuredStore(Map<String, String> env) {
        try {
            return StoreCheck.url(env).isPresent();
        } catch (RuntimeException e) {
            return true;  // one is named but cannot be read: the store line says what is wrong
        }
    }

    /** {@code ; newest backup FILE (KIND, schema N)}, or nothing when there is none. */
    private static String newestBackup(Path database) {
        return Backups.of(database).stream().findFirst()
                .map(b -> "; newest backup " + b.file() + " (" + b.kind().label()
                        + (b.schemaVersion().isPresent() ? ", schema " + b.schemaVersion().getAsInt() : "") + ")")
                .orElse("");
    }
}
