package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import dev.lathe.tui.input.CharSource;
import dev.lathe.tui.input.History;
import dev.lathe.tui.input.KeyDecoder;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.screen.AlternateScreen;
import dev.lathe.tui.screen.InlineScreen;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The terminal UI on a connected server: {@code lathe} and {@code lathe attach}. Takes the terminal into raw mode
 * (no echo, no line editing, no signals — Ctrl-C and Ctrl-Z arrive as keys), turns on bracketed paste, and gives it
 * back exactly as it was on every way out, a kill by SIGTERM or SIGHUP included.
 */
public final class TerminalUi {
    /**
     * @param session the session to attach to; empty: the folder's latest, else a new one at the first message
     * @param historyFile where the input history is kept; {@code /export} writes beside it, in {@code exports/}
     * @param env the environment ({@code NO_COLOR}, {@code COLORTERM})
     * @param link how to reach a server again when this one goes away
     * @param lateNotice a quiet line to show once it is known (the "new version" notice): asked for on a thread of its
     *     own after the UI started, so it never delays the first frame; empty, or a failure, shows nothing
     */
    public record Options(String directory, Optional<SessionId> session, Path historyFile, Map<String, String> env, ServerLink link, Start start,
            Supplier<Optional<String>> lateNotice) {
        /** Options that attach {@code session}, else the folder's latest session, choosing nothing ahead. */
        public Options(String directory, Optional<SessionId> session, Path historyFile, Map<String, String> env, ServerLink link) {
            this(directory, session, historyFile, env, link, Start.of(session));
        }

        /** Options with no late notice. */
        public Options(String directory, Optional<SessionId> session, Path historyFile, Map<String, String> env, ServerLink link, Start start) {
            this(directory, session, historyFile, env, link, start, Optional::empty);
        }
    }

    /**
     * Which session the UI opens when no id is given: the folder's latest (else a new one at the first message), or a new
     * one. {@code NEW_IN_WORKTREE}: the session given, made ahead in a new worktree that the caller ends when the UI closes
     * ({@code lathe --worktree}); the caller, which knows whether the worktree and the session stay, says how to resume.
     */
    public enum Attach {
        /** The folder's latest session, whoever made it ({@code lathe --continue}, {@code lathe attach}). */
        LATEST,
        NEW,
        NEW_IN_WORKTREE,
        /**
         * The session a terminal UI last showed in this folder ({@link LastShown}), else a new one at the first message:
         * bare {@code lathe} never opens a {@code lathe run}, review or scheduled run the user did not work in here.
         */
        LAST_SHOWN
    }

    /**
     * What the UI starts with ({@code lathe [DIR] [--model M] [--agent A] [--continue] [PROMPT]}): the session to attach
     * (an id, else {@code attach}), the model and agent chosen ahead, and a prompt sent at once.
     */
    public record Start(Optional<SessionId> session, Attach attach, Optional<String> model, Optional<String> agent, Optional<String> prompt,
            Approvals approvals) {
        public Start(Optional<SessionId> session, Attach attach, Optional<String> model, Optional<String> agent, Optional<String> prompt) {
            this(session, attach, model, agent, prompt, Approvals.PERSON);
        }

        static Start of(Optional<SessionId> session) {
            return new Start(session, Attach.LATEST, Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** This start with each message's asks answered first by {@code who} ({@code lathe --auto}: the classifier, DESIGN §31). */
        public Start approvedBy(Approvals who) { return new Start(session, attach, model, agent, prompt, who); }

        /** With {@link Attach#LAST_SHOWN}: the session remembered, which the UI opens when it still exists. */
        Start remembered(Optional<SessionId> last) {
            return new Start(last, attach, model, agent, prompt, approvals);
        }
    }

    /** Who answers first what the rules leave to ask of the messages this UI sends: a person, or auto-approval's classifier. */
    public enum Approvals { PERSON, AUTO }

    private static final String PASTE_ON = "\u001b[?2004h";
    private static final String PASTE_OFF = "\u001b[?2004l";

    private TerminalUi() {}

    /** Whether this process can run the UI: a real terminal that is not {@code TERM=dumb}. */
    public static boolean supported(Map<String, String> env) {
        return System.console() != null && System.console().isTerminal() && !"dumb".equals(env.getOrDefault("TERM", "dumb"));
    }

    /** Runs the UI on {@code connection} until the user leaves; returns the exit code (0). The UI closes the client. */
    public static int run(ServerLink.Connection connection, Options options) throws IOException, InterruptedException {
        // not closed: closing waits for the key reader blocked in read(); the process ends right after this returns
        Terminal terminal = TerminalBuilder.builder().system(true).nativeSignals(true).build();
        Attributes saved = terminal.getAttributes();
        Runnable restore = () -> {
            terminal.writer().write(PASTE_OFF + TerminalNotices.FOCUS_REPORTS_OFF + "\u001b[?25h");
            terminal.writer().flush();
            terminal.setAttributes(saved);
        };
        Thread restoreOnKill = new Thread(restore, "lathe-tui-restore");
        Runtime.getRuntime().addShutdownHook(restoreOnKill);
        try {
            raw(terminal);
            // focus reports: the terminal's notification (OSC 9) only while the user looks elsewhere
            terminal.writer().write(PASTE_ON + TerminalNotices.FOCUS_REPORTS_ON);
            return loop(connection, options, terminal);
        } finally {
            restore.run();
            try {
                Runtime.getRuntime().removeShutdownHook(restoreOnKill);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs anyway
            }
        }
    }

    private static int loop(ServerLink.Connection connection, Options options, Terminal terminal) throws InterruptedException {
        BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
        var surface = new TerminalSurface(terminal, options.env());
        var screen = new InlineScreen(surface);
        boolean noColor = !options.env().getOrDefault("NO_COLOR", "").isEmpty();
        UiConfig config = UiConfig.from(connection.api().config(options.directory()), noColor, ConfigLines.of(options.directory(), options.env()));
        var notices = new TerminalNotices(surface);
        var ui = new Ui(connection, options.link(), options.directory(), new UiTerminal(screen, new AlternateScreen(surface), notices, signals), config,
                new History(options.historyFile()), StateFiles.beside(options.historyFile()));
        terminal.handle(Terminal.Signal.WINCH, _ -> signals.add(new Signal.Resized()));
        CharSource source = terminal.reader()::read;
        Thread keys = Thread.ofPlatform().daemon().name("lathe-tui-keys").start(() -> readKeys(new KeyDecoder(source), notices, signals));
        Thread ticks = Thread.ofPlatform().daemon().name("lathe-tui-tick").start(() -> tick(signals));
        // a platform thread: a slow name lookup or connection there never holds a carrier the UI's virtual threads need
        Thread.ofPlatform().daemon().name("lathe-tui-late-notice").start(() -> lateNotice(options.lateNotice(), ui));
        try {
            ui.subscribe();
            ui.run(options.start().attach() == Attach.LAST_SHOWN ? options.start().remembered(ui.lastShown()) : options.start());
            ui.closeTranscript();
            screen.close(ui.farewell());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            screen.close(List.of(new org.jline.utils.AttributedString("lathe: " + e.getMessage())));
            return 1;
        } finally {
            ui.disconnect();
            keys.interrupt();
            ticks.interrupt();
        }
        return 0;
    }

    /** The late notice, shown on the UI thread as a muted line when it comes; a failure shows nothing. */
    private static void lateNotice(Supplier<Optional<String>> notice, Ui ui) {
        try {
            notice.get().ifPresent(ui::noticeLater);
        } catch (RuntimeException e) {
            // a notice is a courtesy: the UI goes on without it
        }
    }

    private static void readKeys(KeyDecoder decoder, TerminalNotices notices, BlockingQueue<Signal> signals) {
        // the decoder ends (empty) when the terminal's input ends or breaks; focus reports are the notices', not keys
        for (Optional<KeyEvent> key = decoder.next(); key.isPresent(); key = decoder.next()) {
            if (!notices.focusReport(key.get())) signals.add(new Signal.Key(key.get()));
        }
        signals.add(new Signal.InputEnded());
    }

    /** The spinner's clock: cheap, because a frame where nothing changed writes almost nothing. */
    private static void tick(BlockingQueue<Signal> signals) {
        try {
            while (true) {
                Thread.sleep(100);
                signals.add(new Signal.Tick());
            }
        } catch (InterruptedException e) {
            // the UI ended
        }
    }

    private static void raw(Terminal terminal) {
        Attributes a = new Attributes(terminal.getAttributes());
        a.setLocalFlags(java.util.EnumSet.of(Attributes.LocalFlag.ICANON, Attributes.LocalFlag.ECHO, Attributes.LocalFlag.IEXTEN,
                Attributes.LocalFlag.ISIG), false);
        a.setInputFlags(java.util.EnumSet.of(Attributes.InputFlag.IXON, Attributes.InputFlag.ICRNL, Attributes.InputFlag.INLCR), false);
        a.setControlChar(Attributes.ControlChar.VMIN, 1);
        a.setControlChar(Attributes.ControlChar.VTIME, 0);
        terminal.setAttributes(a);
    }
}
