package dev.lathe.run.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code lathe run}'s standard input holds when it is not a terminal ({@code git diff | lathe run "review this"}),
 * read to its end. A terminal, {@code /dev/null}, an input closed at once, or a pipe that stays silent for
 * {@link #FIRST_BYTE_WAIT} (a job runner that leaves stdin open and writes nothing) give nothing: the run must never
 * hang on an input nobody writes. Once the first byte arrives the rest is read to the end, however slowly it comes.
 */
public final class PipedStdin {
    /** How long an open but silent pipe is waited for; data already written is read at once. */
    static final Duration FIRST_BYTE_WAIT = Duration.ofMillis(300);

    private PipedStdin() {}

    /** The text on this process's standard input, stripped of a trailing newline; empty for a terminal or no data. */
    public static Optional<String> read() {
        if (isTerminal()) return Optional.empty();
        return read(System.in, FIRST_BYTE_WAIT);
    }

    static Optional<String> read(InputStream in, Duration firstByteWait) {
        CompletableFuture<Integer> first = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                first.complete(in.read());
            } catch (IOException e) {
                first.complete(-1);
            }
        });
        int b;
        try {
            b = first.get(firstByteWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.empty();  // the reader stays parked on the silent pipe; the process exits without it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        }
        if (b < 0) return Optional.empty();
        var bytes = new ByteArrayOutputStream();
        bytes.write(b);
        try {
            in.transferTo(bytes);
        } catch (IOException e) {
            // what arrived before the failure is still the user's input
        }
        String text = bytes.toString(StandardCharsets.UTF_8).stripTrailing();
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    /**
     * Whether standard input is a terminal: on Linux what {@code /proc/self/fd/0} links to (a tty device); elsewhere the
     * JDK's console, which says so for stdin and stdout together.
     */
    private static boolean isTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            var console = System.console();
            return console != null && console.isTerminal();
        }
    }
}
