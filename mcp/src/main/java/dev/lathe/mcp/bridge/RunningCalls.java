package dev.lathe.mcp.bridge;

import dev.lathe.tools.ToolContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The tool calls running now on each server of one project, newest last: whom a server's elicitation is put to. MCP
 * does not tie an {@code elicitation/create} to the call that caused it (stdio carries no such link), so the newest
 * call still running on that server is taken to be its cause. {@link McpTool#run} enters a call for its whole length;
 * when it ends (answered, timed out, cancelled), every question still open for it is abandoned, so an elicitation never
 * outlives the call it belongs to.
 */
public final class RunningCalls {
    private final Map<String, Deque<Call>> byServer = new HashMap<>();

    /** One running call: its context (the session's question port) and the elicitations waiting on the user for it. */
    public final class Call implements AutoCloseable {
        private final String server;
        private final ToolContext context;
        private final Set<Thread> asking = ConcurrentHashMap.newKeySet();
        private volatile boolean ended;

        /** When the call stops waiting ({@link System#nanoTime}), as it knows now; empty when it does not say. */
        private final Optional<LongSupplier> deadline;

        private Call(String server, ToolContext context, Optional<LongSupplier> deadline) {
            this.server = server;
            this.context = context;
            this.deadline = deadline;
        }

        /** How long the call still waits for its server, an answer to its question included; empty when not known. */
        public Optional<Duration> left() {
            return deadline.map(d -> Duration.ofNanos(Math.max(0, d.getAsLong() - System.nanoTime())));
        }

        /** The context of the call: its session id and its {@code questions} port. */
        public ToolContext context() { return context; }

        /** Marks {@code thread} as asking the user for this call until {@link #done}; false when the call already ended. */
        boolean asking(Thread thread) {
            asking.add(thread);
            if (ended) {
                asking.remove(thread);
                return false;
            }
            return true;
        }

        void done(Thread thread) { asking.remove(thread); }

        /** The call ended: it is no longer asked for, and questions still open for it are abandoned (interrupted). */
        @Override
        public void close() {
            ended = true;
            synchronized (RunningCalls.this) {
                Deque<Call> calls = byServer.get(server);
                if (calls != null) {
                    calls.remove(this);
                    if (calls.isEmpty()) byServer.remove(server);
                }
            }
            asking.forEach(Thread::interrupt);
        }
    }

    /** A call of {@code context} on {@code server} starts; close what is returned when it ends. */
    public Call enter(String server, ToolContext context) {
        return enter(server, context, Optional.empty());
    }

    /**
     * As {@link #enter(String, ToolContext)}, for a call that gives up at {@code deadline} ({@link System#nanoTime}, read
     * each time: a progress report moves it): a question asked for it says how long the user has to answer.
     */
    public synchronized Call enter(String server, ToolContext context, Optional<LongSupplier> deadline) {
        Call call = new Call(server, context, deadline);
        byServer.computeIfAbsent(server, _ -> new ArrayDeque<>()).addLast(call);
        return call;
    }

    /** The newest call still running on {@code server}; empty when none runs (nobody to put a question to). */
    public synchronized Optional<Call> newest(String server) {
        Deque<Call> calls = byServer.get(server);
        return calls == null ? Optional.empty() : Optional.ofNullable(calls.peekLast());
    }
}
