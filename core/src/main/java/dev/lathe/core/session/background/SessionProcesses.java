package dev.lathe.core.session.background;

import dev.lathe.core.session.inbox.Arrival;
import dev.lathe.core.session.inbox.Inbox;
import dev.lathe.core.store.SessionStore;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.ProcessApi;
import dev.lathe.protocol.api.ProcessChunk;
import dev.lathe.protocol.api.ProcessInfo;
import dev.lathe.protocol.api.ProcessInput;
import dev.lathe.tools.BackgroundCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A session's background commands as people reach them (DESIGN §32, {@code GET /sessions/{id}/processes} and its
 * process routes): the very processes the model reads with {@code bash_output}, from the one {@link BackgroundCommands}
 * adapter. A person's read consumes nothing of the model's; what a person ends, the model is told of.
 */
public final class SessionProcesses implements ProcessApi {
    private final SessionStore store;
    private final BackgroundCommands commands;
    private final Inbox inbox;

    public SessionProcesses(SessionStore store, BackgroundCommands commands, Inbox inbox) {
        this.store = store;
        this.commands = commands;
        this.inbox = inbox;
    }

    @Override
    public List<ProcessInfo> list(SessionId session) {
        known(session);
        return commands.of(session.value()).stream().map(SessionProcesses::info).toList();
    }

    @Override
    public ProcessChunk output(SessionId session, String processId, long since) {
        BackgroundCommands.Command c = find(session, processId);
        BackgroundCommands.Chunk chunk = c.readFrom(since);
        return new ProcessChunk(chunk.text(), chunk.skipped(), chunk.next(), c.status());
    }

    @Override
    public void input(SessionId session, String processId, ProcessInput input) {
        if (input.text().length() > ProcessInput.MAX_CHARS) {
            throw new LatheException.InvalidInput("input is " + input.text().length() + " characters; at most " + ProcessInput.MAX_CHARS + " per request");
        }
        BackgroundCommands.Command c = find(session, processId);
        try {
            c.write(input.text().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LatheException.Conflict("process " + processId + " takes no input: " + e.getMessage());
        }
    }

    @Override
    public void kill(SessionId session, String processId) {
        BackgroundCommands.Command c = find(session, processId);
        if (!c.alive()) return;
        c.kill();
        inbox.deliver(new Arrival.ProcessOutput(session, c.id(), "The user ended background command " + c.id() + " (" + c.command()
                + ") and every process it started."));
    }

    private BackgroundCommands.Command find(SessionId session, String processId) {
        known(session);
        return commands.find(session.value(), processId)
                .orElseThrow(() -> new LatheException.NotFound("no process " + processId + " in session " + session));
    }

    private void known(SessionId session) {
        if (store.find(session).isEmpty()) throw new LatheException.NotFound("no session " + session);
    }

    /** A command as the API lists it. */
    static ProcessInfo info(BackgroundCommands.Command c) {
        Optional<Integer> exit = c.exitCode().isPresent() ? Optional.of(c.exitCode().getAsInt()) : Optional.empty();
        return new ProcessInfo(c.id(), c.command(), c.pid(), c.startedAt(), c.status(), exit, c.monitor(), c.lastLines(ProcessInfo.LAST_LINES));
    }
}
