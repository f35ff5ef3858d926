package dev.lathe.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.text.MessageFormat;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * Where this process's {@link System.Logger} records go (installed through {@code META-INF/services}): one line each,
 * {@code [time] LEVEL logger: message}, {@code INFO} and above. The server ({@code lathe serve}) writes them to its
 * standard error, which for the daemon is {@code server.log}; every other command — the terminal UI, {@code lathe run},
 * {@code lathe sessions} — appends them to {@code lathe.log} beside it ({@link #toFile}), so a note such as a crash
 * repair never lands between a command's own output or over the terminal UI's screen. Without this, the JDK's default
 * printed them to the terminal as two-line {@code java.util.logging} records.
 */
public final class LogRouting extends System.LoggerFinder {
    /**
     * Empty: standard error (the server, and any process {@link Main#main} did not route). A supplier, so a command that
     * logs nothing never works out where its log would be.
     */
    private static volatile Optional<Supplier<Path>> file = Optional.empty();

    /** Sends every record from now on to the end of {@code logFile} (created with its folder on the first record). */
    static void toFile(Supplier<Path> logFile) {
        file = Optional.of(logFile);
    }

    /** Sends records to standard error again, as before any {@link #toFile}. */
    static void toStandardError() {
        file = Optional.empty();
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new Line(name);
    }

    /** The formatted record {@code message} of {@code logger} at {@code level}, with {@code thrown}'s stack trace. */
    static String format(Instant at, System.Logger.Level level, String logger, String message, Optional<Throwable> thrown) {
        var out = new StringBuilder("[").append(at.truncatedTo(ChronoUnit.SECONDS)).append("] ").append(level.getName()).append(' ')
                .append(logger).append(": ").append(message).append('\n');
        thrown.ifPresent(t -> {
            var trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            out.append(trace);
        });
        return out.toString();
    }

    private static synchronized void write(String record) {
        Optional<Path> target = file.map(Supplier::get);
        if (target.isEmpty()) {
            // a record may quote a provider's or a tool's words: through the sanitiser, as everything on standard error
            TerminalOutput.errStream().print(record);
            TerminalOutput.errStream().flush();
            return;
        }
        try {
            Path parent = target.get().toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(target.get(), record, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            // a log that cannot be written must not fail the command; the record is lost, as with a full disk
        }
    }

    /** One named logger: formats and hands its records to {@link #write}. */
    private record Line(String name) implements System.Logger {
        @Override public String getName() { return name; }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && level.getSeverity() >= Level.INFO.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) write(format(Instant.now(), level, name, String.valueOf(msg), Optional.ofNullable(thrown)));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (!isLoggable(level)) return;
            String msg = params == null || params.length == 0 ? String.valueOf(format) : MessageFormat.format(String.valueOf(format), params);
            write(format(Instant.now(), level, name, msg, Optional.empty()));
        }
    }
}
