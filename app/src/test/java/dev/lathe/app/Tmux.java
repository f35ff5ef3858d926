package dev.lathe.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real terminal for end-to-end tests: a detached tmux session on a private socket whose one pane runs a command
 * (the packaged {@code lathe}, started the way {@link Lathe#command} would start it) in a pseudo-terminal of a fixed
 * size. Keys go in through {@code send-keys}, the screen comes out through {@code capture-pane}. The pane stays after
 * its command exits ({@code remain-on-exit}), so the last screen can still be read. The exit status is written to a
 * file by the pane's shell: tmux's own {@code pane_dead_status} is empty when it sees the pty close before it reaps the
 * child, which happens about half the time with tmux 3.3a.
 *
 * <p>{@link #kill()} and {@link #close()} kill the tmux server: the pty's master side closes and the program in the
 * pane gets SIGHUP, as when a terminal window is closed.
 */
final class Tmux implements AutoCloseable {
    /** What tmux printed for one command. */
    record Result(int exit, String stdout, String stderr) {}

    private static final String SESSION = "lathe";
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * The least a wait for the first screen gets: until then the pane waits for two cold JVMs (the terminal UI and the
     * daemon it starts, with no AOT cache in the tests), which on CI's two cores shared by three test forks has taken
     * over 20 s. What a test times after that (a key's effect, a streamed answer) keeps the timeout it asks for.
     */
    private static final Duration FIRST_SCREEN = Duration.ofSeconds(90);

    private final String socket;
    private final Path statusFile;
    private volatile Path socketPath;
    private volatile boolean killed;
    private volatile boolean drawn;

    private Tmux(String socket, Path statusFile) {
        this.socket = socket;
        this.statusFile = statusFile;
    }

    /**
     * Starts {@code command} (its program, arguments and its whole environment, as the ProcessBuilder holds them) in
     * {@code workDir}, in a terminal of {@code width}×{@code height} with {@code TERM=xterm-256color} and a UTF-8 locale.
     */
    static Tmux start(ProcessBuilder command, Path workDir, int width, int height) throws IOException, InterruptedException {
        Path status = Files.createTempFile("lathe-tmux-", ".status");
        Files.delete(status);
        var tmux = new Tmux("lathe-it-" + UUID.randomUUID().toString().substring(0, 8), status);
        Map<String, String> env = new TreeMap<>(command.environment());
        env.put("TERM", "xterm-256color");
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        env.remove("TMUX");
        env.remove("TMUX_PANE");
        List<String> line = new ArrayList<>(List.of("env", "-i"));
        env.forEach((k, v) -> line.add(k + "=" + v));
        line.addAll(command.command());
        // not exec'd: the shell stays to write the exit status (it dies with the command's SIGHUP when the terminal goes)
        String shell = "cd " + quote(workDir.toString()) + " && " + String.join(" ", line.stream().map(Tmux::quote).toList())
                + "; echo $? > " + quote(status.toString());
        // one tmux invocation: the options are set before the server's loop could see the command exit
        Result r = tmux.tmux("start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";", "set-option", "-g", "history-limit",
                "10000", ";", "new-session", "-d", "-x", Integer.toString(width), "-y", Integer.toString(height), "-s", SESSION, shell);
        if (r.exit() != 0) {
            tmux.close();
            throw new IllegalStateException("tmux new-session failed (" + r.exit() + "): " + r.stderr());
        }
        tmux.socketPath = Path.of(tmux.check(List.of("display-message", "-p", "#{socket_path}")).strip());
        return tmux;
    }

    /** POSIX shell single quoting: every string is safe, however odd. */
    static String quote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_@%+=:,./-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Sends tmux key names ({@code Enter}, {@code Escape}, {@code C-c}, {@code Up}…); {@code "-l", text} sends text literally. */
    Tmux sendKeys(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
        args.addAll(List.of(keys));
        check(args);
        return this;
    }

    /** Runs a tmux command against this server and returns its output ({@code "show-buffer"}, {@code "display-message", "-p", ...}). */
    String query(String... args) {
        return check(List.of(args));
    }

    /** The pane's title, as an application's OSC 0 or OSC 2 would have set it. */
    String paneTitle() {
        return check(List.of("display-message", "-p", "-t", SESSION, "#{pane_title}")).strip();
    }

    /** Types {@code text} as is (no key-name lookup, so {@code "Enter"} is five letters). */
    Tmux type(String text) {
        return sendKeys("-l", text);
    }

    /** The pane's text with the scrollback, wrapped lines joined, trailing blank lines dropped. */
    String capture() {
        return stripTrailingBlankLines(check(List.of("capture-pane", "-p", "-J", "-S", "-", "-t", SESSION)));
    }

    /** Only the visible screen, one string per row (wrapped rows are not joined, so the rows are the real ones). */
    List<String> screen() {
        return check(List.of("capture-pane", "-p", "-t", SESSION)).lines().toList();
    }

    /** The pane's screen and scrollback with colours and attributes as escape sequences. */
    String captureAnsi() {
        return check(List.of("capture-pane", "-e", "-p", "-J", "-S", "-", "-t", SESSION));
    }

    /** Waits until the capture contains {@code text}; returns that capture. */
    String awaitText(String text, Duration timeout) {
        return awaitText(Pattern.compile(Pattern.quote(text)), timeout);
    }

    /** Waits until {@code pattern} is found in the capture; returns that capture. */
    String awaitText(Pattern pattern, Duration timeout) {
        return await("text matching /" + pattern + "/", s -> pattern.matcher(s).find(), timeout);
    }

    /** Waits until {@code done} holds for the capture; fails with the last capture. */
    String await(String what, java.util.function.Predicate<String> done, Duration timeout) {
        if (!drawn && timeout.compareTo(FIRST_SCREEN) < 0) timeout = FIRST_SCREEN;
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true) {
            String problem = "";
            try {
                last = capture();
                if (!last.isBlank()) drawn = true;
                if (done.test(last)) return last;
            } catch (IllegalStateException e) {
                problem = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + timeout.toMillis() + " ms, never saw " + what + (problem.isEmpty() ? "" : " (" + problem + ")")
                        + "; pane " + paneState() + "; last screen:\n" + last);
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /**
     * Answers the open ask as a user does (issue 42): waits until its keys line says it takes answers (it does not
     * in its first moment), selects option {@code number} and confirms with Enter.
     */
    Tmux answerAsk(int number, Duration timeout) {
        await("an ask that takes answers", s -> screen().stream().anyMatch(l -> l.contains("enter to confirm")), timeout);
        return sendKeys(Integer.toString(number)).sendKeys("Enter");
    }

    /** Waits until an ask's keys line says it takes answers, so a digit selects (and does not go to the input). */
    Tmux awaitArmedAsk(Duration timeout) {
        await("an ask that takes answers", s -> screen().stream().anyMatch(l -> l.contains("enter to confirm")), timeout);
        return this;
    }

    /** Whether the command in the pane has exited (its status is written; the pane stays, dead, after it). */
    boolean exited() {
        return status().isPresent();
    }

    private java.util.Optional<Integer> status() {
        try {
            String text = Files.readString(statusFile);
            return text.endsWith("\n") ? java.util.Optional.of(Integer.parseInt(text.strip())) : java.util.Optional.empty();
        } catch (java.nio.file.NoSuchFileException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits until the command in the pane exits; returns its exit status (128 + n for a signal n). */
    int awaitExit(Duration timeout) {
        await("the command exit", _ -> exited(), timeout);
        return status().orElseThrow();
    }

    /** The process of the command in the pane (the child of the pane's shell). */
    ProcessHandle process() {
        long shell = Long.parseLong(check(List.of("display-message", "-p", "-t", SESSION, "#{pane_pid}")).strip());
        return ProcessHandle.of(shell).flatMap(h -> h.children().findFirst())
                .orElseThrow(() -> new IllegalStateException("no command running in the pane (shell " + shell + ")"));
    }

    /** Resizes the window (and so the pane's pty: the program gets SIGWINCH). */
    Tmux resize(int width, int height) {
        check(List.of("resize-window", "-t", SESSION, "-x", Integer.toString(width), "-y", Integer.toString(height)));
        return this;
    }

    /** Kills the tmux server: the terminal is gone, as when its window is closed. */
    void kill() {
        if (killed) return;
        killed = true;
        try {
            tmux("kill-server");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("tmux kill-server: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            kill();
        } catch (RuntimeException e) {
            // best effort in teardown: a server that is already gone is what we want
        }
        try {
            Files.deleteIfExists(statusFile);
            // tmux leaves its socket behind after kill-server
            if (socketPath != null) Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            // a leftover file in the temp folder
        }
    }

    private String paneState() {
        try {
            Result r = tmux("display-message", "-p", "-t", SESSION, "dead=#{pane_dead} size=#{pane_width}x#{pane_height}");
            return r.exit() == 0 ? r.stdout().strip() : "unknown (" + r.stderr().strip() + ")";
        } catch (IOException | InterruptedException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private String check(List<String> args) {
        if (killed) throw new IllegalStateException("the tmux server was killed");
        try {
            Result r = tmux(args.toArray(String[]::new));
            if (r.exit() != 0) throw new IllegalStateException("tmux " + String.join(" ", args) + " failed (" + r.exit() + "): " + r.stderr().strip());
            return r.stdout();
        } catch (IOException e) {
            throw new IllegalStateException("tmux " + String.join(" ", args) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Result tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd);
        pb.environment().remove("TMUX");
        pb.environment().remove("TMUX_PANE");
        Process p = pb.start();
        p.getOutputStream().close();
        // stderr on its own thread: neither pipe can fill up and stall tmux while the other is read
        var err = new java.util.concurrent.CompletableFuture<byte[]>();
        Thread.ofVirtual().start(() -> {
            try {
                err.complete(p.getErrorStream().readAllBytes());
            } catch (IOException e) {
                err.complete(new byte[0]);
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("tmux " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
    }

    private static String stripTrailingBlankLines(String s) {
        return s.replaceAll("(?s)[\\s]+$", "") + "\n";
    }
}
