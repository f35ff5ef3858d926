package dev.lathe.app;

import dev.lathe.run.console.OutputFormat;
import dev.lathe.term.TerminalSafeStream;
import dev.lathe.term.VisibleControls;
import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * The process's standard output and error as every command prints to them (DESIGN §24 "Untrusted text is never raw on
 * a terminal", issue 52). A command prints model, tool or imported text — an answer, a session title, a record of
 * another harness's file, a provider's error message — and any of it may carry an escape sequence that sets the
 * window title, writes the clipboard (OSC 52), hides text or moves the cursor. So nothing reaches the terminal but
 * through {@link VisibleControls}, the one sanitiser, in one of three ways:
 *
 * <ul>
 *   <li>{@link #out} and {@link #err}: text for people (listings, Markdown, messages) — every control but newline and
 *       tab shown as its picture ({@code ␛}, {@code <U+009B>}), terminal or not: these are renderings, the exact data
 *       is the JSON form, and a listing piped to a pager or a Markdown file {@code cat} later reaches a terminal too;</li>
 *   <li>{@link #json}: JSON — every control written as its JSON escape, so the value is the same and still exact;</li>
 *   <li>{@link #answer}: {@code lathe run}'s answer in text form — pictures on a terminal, but the exact text when
 *       redirected (a script asked for the model's words: decision of issue 25, docs/reliability.md).</li>
 * </ul>
 *
 * <p>Picocli's {@code getOut()} and {@code getErr()} are these writers ({@link Main} binds them), so a command's
 * {@code spec.commandLine().getOut()} is already safe; {@code TerminalOutputRuleTest} fails on any other use of
 * {@code System.out} or {@code System.err} in app, tui and client.
 */
final class TerminalOutput {
    private static PrintStream outStream;
    private static PrintStream errStream;
    private static PrintWriter outWriter;
    private static PrintWriter errWriter;

    private TerminalOutput() {}

    /** Standard output for text, controls shown. */
    static synchronized PrintWriter out() {
        if (outWriter == null) outWriter = new PrintWriter(outStream(), true, charset(System.out));
        return outWriter;
    }

    /** Standard error, controls shown (messages, warnings, the problems of an import, a provider's error). */
    static synchronized PrintWriter err() {
        if (errWriter == null) errWriter = new PrintWriter(errStream(), true, charset(System.err));
        return errWriter;
    }

    /** {@link #err} as a stream, for the parts that print to one (sign-in prompts, a daemon's start, the console client). */
    static synchronized PrintStream errStream() {
        if (errStream == null) errStream = TerminalSafeStream.of(System.err, charset(System.err));
        return errStream;
    }

    private static synchronized PrintStream outStream() {
        if (outStream == null) outStream = TerminalSafeStream.of(System.out, charset(System.out));
        return outStream;
    }

    /**
     * The charset a stream is written in: its own, but UTF-8 where no locale names one (the JVM then says US-ASCII, and
     * every {@code ·}, accent or non-Latin word of an answer became {@code ?} in a container or CI job without LANG).
     */
    private static java.nio.charset.Charset charset(PrintStream stream) {
        return stream.charset().equals(java.nio.charset.StandardCharsets.US_ASCII) ? java.nio.charset.StandardCharsets.UTF_8 : stream.charset();
    }

    /** {@code json} (a JSON text) as it may be printed: controls as JSON escapes, the value unchanged. */
    static String json(String json) {
        return VisibleControls.json(json);
    }

    /**
     * Standard output for an answer streamed in {@code format}: JSON escaped; text with controls shown on a terminal
     * and exact when redirected.
     */
    static PrintStream answer(OutputFormat format) {
        if (format != OutputFormat.text) return TerminalSafeStream.json(System.out, charset(System.out));
        return TerminalSafeStream.stdoutIsTerminal() ? outStream() : new PrintStream(System.out, true, charset(System.out));
    }

    /**
     * From now on every line of standard error starts with a team node's name (several nodes' logs read together),
     * under the sanitiser as before.
     */
    static synchronized void tagErrorLines(String node) {
        flush();
        System.setErr(NodeTaggedStream.of(new java.io.FileOutputStream(java.io.FileDescriptor.err), node));
        errStream = null;
        errWriter = null;
    }

    /** Flushes both (the process halts without running shutdown hooks). */
    static synchronized void flush() {
        if (outWriter != null) outWriter.flush();
        if (errWriter != null) errWriter.flush();
        if (outStream != null) outStream.flush();
        if (errStream != null) errStream.flush();
        System.out.flush();
        System.err.flush();
    }
}
