package dev.lathe.app;

import dev.lathe.run.console.ExitCode;
import dev.lathe.server.local.LocalCommands;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lathe db check|backup|restore}: the session database in the data folder, without a server and beside one
 * that runs. {@code check} runs SQLite's integrity check (exit 0 when intact, 1 otherwise); {@code backup [FILE]} makes a
 * consistent copy, also while the server writes; {@code restore} lists the backups beside the database, and
 * {@code restore BACKUP} puts one back, keeping what it replaces (refused while a server runs on the data folder).
 */
@Command(name = "db", mixinStandardHelpOptions = true, description = "The session database: check it, back it up, restore a backup.",
        subcommands = {DbCommand.Check.class, DbCommand.Backup.class, DbCommand.Restore.class})
final class DbCommand implements Callable<Integer> {
    /** An integrity check that found damage, or a command that could not do what was asked. */
    static final int FAILED = 1;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    @Spec CommandSpec spec;

    private final Map<String, String> env;

    DbCommand() {
        this(System.getenv());
    }

    /** With the folders {@code env} names (tests: fresh ones). */
    DbCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    LocalCommands.Database database() {
        return LocalCommands.of(env).database();
    }

    /** {@code --store} of a subcommand, or {@code LATHE_STORE}, or the config's {@code "store"}: the team server's store (DESIGN §20). */
    static final class StoreOption {
        @picocli.CommandLine.Option(names = "--store", paramLabel = "URL",
                description = {"a team-server store instead of the SQLite file:", "postgresql://USER:PASSWORD@HOST:PORT/DATABASE",
                        "(default: LATHE_STORE, the config's \"store\")"})
        Optional<String> url = Optional.empty();
    }

    /** {@code env} with {@code LATHE_STORE} set to {@code store} when given. */
    static Map<String, String> withStore(Map<String, String> env, Optional<String> store) {
        if (store.isEmpty()) return env;
        var out = new java.util.HashMap<>(env);
        out.put("LATHE_STORE", store.get());
        return out;
    }

    Optional<LocalCommands.StoreReport> store(StoreOption option) {
        return LocalCommands.of(withStore(env, option.url)).store();
    }

    /** How a PostgreSQL store is backed up and restored: with PostgreSQL's own tools, not by Lathe. */
    static String dumpAdvice(LocalCommands.StoreReport s) {
        return "lathe: the store is PostgreSQL (" + s.describe() + "): Lathe makes no copy of it. Back it up with PostgreSQL's own tools, e.g.\n"
                + "  pg_dump --format=custom --host=" + s.host() + " --port=" + s.port() + " --username=" + s.user() + " --dbname=" + s.database()
                + " --file=lathe-$(date +%Y%m%d).dump\n"
                + "and restore into an empty database with pg_restore --dbname=... FILE (stop the nodes first); or use the server's own"
                + " backups (base backups, WAL archiving, a managed service's snapshots).";
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Run SQLite's integrity check on the database; print its schema version and sessions. Exit 0 when intact, 1 when not.",
                    "With a PostgreSQL store: its schema version, migration history, invalid indexes, unvalidated constraints and"
                            + " stale lease or work rows (PostgreSQL's pg_amcheck reads the pages)."})
    static final class Check implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand DbCommand parent;
        @picocli.CommandLine.Mixin StoreOption store;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                var postgres = parent.store(store);
                if (postgres.isPresent()) {
                    var s = postgres.get();
                    out.println("store     PostgreSQL " + s.describe());
                    out.println("schema    " + s.schemaVersion() + (s.schemaVersion() > s.bundledVersion()
                            ? " (newer than this Lathe's " + s.bundledVersion() + ": it will not open it)" : " (this Lathe: " + s.bundledVersion() + ")"));
                    out.println("sessions  " + (s.sessions() >= 0 ? Long.toString(s.sessions()) : "none: no node has set the store up yet"));
                    // PostgreSQL's foreign keys keep messages and parts with their sessions; what is left to look at is Lathe's own
                    if (s.problems().isEmpty()) out.println("integrity ok (migrations, indexes, constraints, leases and queued work)");
                    s.problems().forEach(p -> out.println("integrity " + p));
                    s.notes().forEach(n -> out.println("note      " + n));
                    out.println("pages     not read by Lathe: pg_amcheck --heapallindexed --dbname=" + s.database() + " checks tables and indexes");
                    out.flush();
                    if (!s.problems().isEmpty()) {
                        err.println("lathe: the store needs repair before nodes run on it (each line above says how)");
                        err.flush();
                    }
                    return s.schemaVersion() > s.bundledVersion() || !s.problems().isEmpty() ? FAILED : ExitCode.FINISHED;
                }
                LocalCommands.DatabaseReport r = parent.database().check();
                out.println("database  " + r.file());
                out.println("schema    " + r.schemaVersion() + (r.schemaVersion() > r.bundledVersion()
                        ? " (newer than this Lathe's " + r.bundledVersion() + ": it will not open it)" : " (this Lathe: " + r.bundledVersion() + ")"));
                out.println("sessions  " + (r.sessions().isPresent() ? Long.toString(r.sessions().getAsLong()) : "cannot be counted"));
                if (r.intact()) {
                    out.println("integrity ok");
                } else {
                    r.problems().forEach(p -> out.println("integrity " + p));
                }
                out.flush();
                if (r.intact()) return ExitCode.FINISHED;
                err.println("lathe: the database is damaged: `lathe db restore` lists the backups to restore one of");
                err.flush();
                return FAILED;
            } catch (LocalCommands.Failure e) {
                return failed(err, e);
            }
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Copy the database consistently, also while the server runs: to FILE, or beside it. Prints where it went.")
    static final class Backup implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand DbCommand parent;
        @picocli.CommandLine.Mixin StoreOption store;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "where to write the copy (must not exist; default: beside the database)")
        Optional<Path> file = Optional.empty();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                var postgres = parent.store(store);
                if (postgres.isPresent()) {
                    // no copy was made: a script that runs `lathe db backup && upload` must not go on as if one were
                    err.println(dumpAdvice(postgres.get()));
                    err.flush();
                    return FAILED;
                }
                out.println(parent.database().backup(file));
                out.flush();
                return ExitCode.FINISHED;
            } catch (LocalCommands.Failure e) {
                return failed(err, e);
            }
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Without BACKUP: list the backups beside the database, newest first.",
                    "With it: replace the database with that backup, keeping the current one as a backup. The server must not run (lathe stop)."})
    static final class Restore implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand DbCommand parent;
        @picocli.CommandLine.Mixin StoreOption store;

        @Parameters(arity = "0..1", paramLabel = "BACKUP", description = "the backup file to restore")
        Optional<Path> backup = Optional.empty();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            LocalCommands.Database database = parent.database();
            try {
                var postgres = parent.store(store);
                if (postgres.isPresent()) {
                    err.println(dumpAdvice(postgres.get()));
                    err.flush();
                    return FAILED;
                }
                if (backup.isEmpty()) {
                    List<LocalCommands.BackupRow> rows = database.backups();
                    if (rows.isEmpty()) err.println("lathe: no backups beside " + database.file() + " yet (`lathe db backup` makes one)");
                    for (var row : rows) out.println(line(row));
                    out.flush();
                    err.flush();
                    return ExitCode.FINISHED;
                }
                LocalCommands.RestoreDone done = database.restore(backup.get());
                err.println("lathe: restored " + done.from() + " (schema " + done.schemaVersion() + ") into " + done.database()
                        + done.keptAt().map(k -> "; what it held before is kept at " + k).orElse(""));
                err.flush();
                return ExitCode.FINISHED;
            } catch (LocalCommands.Failure e) {
                return failed(err, e);
            }
        }

        /** {@code FILE<TAB>KIND<TAB>TIME<TAB>schema N<TAB>SIZE}: one backup, for people and for {@code cut}. */
        static String line(LocalCommands.BackupRow row) {
            return String.join("\t", row.file().toString(), row.kind(), TIME.format(row.madeAt()),
                    row.schemaVersion().isPresent() ? "schema " + row.schemaVersion().getAsInt() : "unreadable", size(row.bytes()));
        }

        private static String size(long bytes) {
            if (bytes < 1024 * 1024) return (bytes + 1023) / 1024 + " KB";
            return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
    }

    private static int failed(PrintWriter err, LocalCommands.Failure e) {
        err.println("lathe: " + e.getMessage());
        err.flush();
        return FAILED;
    }
}
