package dev.lathe.run.console;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ProcessApi;
import dev.lathe.protocol.api.ProcessChunk;
import dev.lathe.protocol.api.ProcessInput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code lathe attach --process ID} (DESIGN §32): a terminal onto a session's background command, the very process the
 * model reads: its output from the start of what is kept, then as it comes (read every {@link #POLL_MILLIS} ms without
 * consuming what the model reads), and each line typed sent to its standard input. It ends when the process ends (said
 * on {@code err}) or the input does (end of file: the process runs on). {@code out} must be the terminal-safe stream:
 * what a program prints is untrusted text (DESIGN §24).
 */
public final class ProcessConsole {
    static final long POLL_MILLIS = 150;

    private final ProcessApi api;
    private final SessionId session;
    private final String processId;

    public ProcessConsole(ProcessApi api, SessionId session, String processId) {
        this.api = api;
        this.session = session;
        this.processId = processId;
    }

    /** Follows the process until it or {@code in} ends; 0, or 1 when it cannot be reached. */
    public int run(BufferedReader in, PrintStream out, PrintStream err) throws InterruptedException {
        var inputEnded = new AtomicBoolean();
        var typing = Thread.ofVirtual().name("lathe-attach-input").start(() -> {
            try {
                String line;
                while ((line = in.readLine()) != null) api.input(session, processId, new ProcessInput(line + "\n"));
            } catch (IOException | RuntimeException e) {
                err.println("lathe: cannot type into " + processId + ": " + e.getMessage());
            }
            inputEnded.set(true);
        });
        long since = 0;
        try {
            while (true) {
                ProcessChunk chunk = api.output(session, processId, since);
                if (chunk.skipped() > 0) out.println("[" + chunk.skipped() + " bytes of earlier output were dropped]");
                if (!chunk.text().isEmpty()) {
                    out.print(chunk.text());
                    out.flush();
                }
                since = chunk.next();
                if (!chunk.state().equals("running") && chunk.text().isEmpty()) {
                    err.println("lathe: " + processId + " " + chunk.state());
                    return 0;
                }
                if (inputEnded.get()) return 0;
                Thread.sleep(POLL_MILLIS);
            }
        } catch (RuntimeException e) {
            err.println("lathe: " + processId + ": " + e.getMessage());
            return 1;
        } finally {
            typing.interrupt();
        }
    }
}
