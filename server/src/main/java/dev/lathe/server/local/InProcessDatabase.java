package dev.lathe.server.local;

import dev.lathe.core.config.LathePaths;
import dev.lathe.core.store.StoreException;
import dev.lathe.core.store.sqlite.Backups;
import dev.lathe.core.store.sqlite.IntegrityCheck;
import dev.lathe.server.daemon.DataDirLock;
import dev.lathe.server.daemon.DataDirLockedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link LocalCommands.Database} on the core's store ({@link IntegrityCheck}, {@link Backups}). A restore holds the data
 * folder's lock, as {@code lathe serve} does (DESIGN §3), so no server runs on the database it replaces nor starts
 * while it does.
 */
final class InProcessDatabase implements LocalCommands.Database {
    private final LathePaths paths;

    InProcessDatabase(LathePaths paths) {
        this.paths = paths;
    }

    @Override
    public Path file() {
        return paths.database();
    }

    @Override
    public LocalCommands.DatabaseReport check() {
        IntegrityCheck.Report r = guarded(() -> IntegrityCheck.of(paths.database()));
        return new LocalCommands.DatabaseReport(r.database(), r.schemaVersion(), r.bundledVersion(), r.sessions(), r.problems());
    }

    @Override
    public Path backup(Optional<Path> target) {
        return guarded(() -> Backups.backup(paths.database(), target));
    }

    @Override
    public List<LocalCommands.BackupRow> backups() {
        return Backups.of(paths.database()).stream()
                .map(b -> new LocalCommands.BackupRow(b.file(), b.kind().label(), b.madeAt(), b.schemaVersion(), b.bytes())).toList();
    }

    @Override
    public LocalCommands.RestoreDone restore(Path backup) {
        try (DataDirLock held = DataDirLock.acquire(paths.data())) {
            Backups.Restored r = guarded(() -> Backups.restore(paths.database(), backup));
            return new LocalCommands.RestoreDone(r.database(), r.from(), r.schemaVersion(), r.keptAt());
        } catch (DataDirLockedException e) {
            throw new LocalCommands.Failure(e.getMessage() + "; stop it first (`lathe stop`), then restore again; nothing was changed");
        }
    }

    private static <T> T guarded(Supplier<T> action) {
        try {
            return action.get();
        } catch (StoreException e) {
            throw new LocalCommands.Failure(e.getMessage());
        }
    }
}
