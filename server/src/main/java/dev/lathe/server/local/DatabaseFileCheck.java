package dev.lathe.server.local;

import dev.lathe.core.config.LathePaths;
import dev.lathe.core.store.DamagedDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lathe doctor}'s database line: where the database is, and the damaged files a start moved aside from it (kept,
 * never deleted, for the user to recover from or remove). Opens no database: the folder listing is enough.
 */
final class DatabaseFileCheck {
    private DatabaseFileCheck() {}

    static LocalCommands.Check of(Map<String, String> env) {
        Path database = LathePaths.fromEnvironment(env).database();
        List<Path> aside = DamagedDatabase.movedAside(database);
        if (aside.isEmpty()) {
            return new LocalCommands.Check("database", LocalCommands.CheckStatus.OK, database.toString(), Optional.empty());
        }
        return new LocalCommands.Check("database", LocalCommands.CheckStatus.WARN,
                database + "; a damaged database was moved aside to " + aside.getLast() + " and a fresh one created in its place"
                        + (aside.size() > 1 ? " (" + aside.size() + " damaged files are kept there)" : ""),
                Optional.of("earlier sessions are in the moved file (`sqlite3 " + aside.getLast() + " .recover` may get them back); "
                        + "delete it once you no longer need it"));
    }
}
