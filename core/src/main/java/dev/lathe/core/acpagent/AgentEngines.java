package dev.lathe.core.acpagent;

import dev.lathe.core.config.Config;
import dev.lathe.protocol.MessageId;
import dev.lathe.tools.builtin.ChildEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The ACP agents of a running Lathe: one process per project and agent, started when a turn first needs it, reused by
 * that project's sessions, started again when it died or its command changed (each start is logged), stopped when the
 * project instance closes and when Lathe stops. Which agent session carries each Lathe session is kept here, in memory:
 * after a restart of the agent (or of Lathe) a new agent session is opened, and the turn hands it the conversation so
 * far as text.
 */
public final class AgentEngines implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AgentEngines.class.getName());
    /** How long an agent may take to start and initialize (npx may fetch the adapter first) or open a session. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private record Key(Path project, String agent) {}

    /**
     * The agent session carrying a Lathe session, on the connection it was opened on; {@code answered}: the last
     * message it wrote there (what follows it is news to the agent).
     */
    public record Binding(AgentConnection connection, String agentSession, Optional<MessageId> answered) {}

    private final Map<Key, AgentConnection> connections = new HashMap<>();
    private final Map<String, Binding> bindings = new ConcurrentHashMap<>();
    /** The environment agents start from (the daemon's, as the composition root read it). */
    private final Map<String, String> env;
    private boolean closed;

    public AgentEngines(Map<String, String> env) { this.env = Map.copyOf(env); }

    /**
     * The running agent {@code name} of {@code project}, started (or started again) as needed. Its environment is
     * Lathe's without credentials ({@link ChildEnvironment}, {@code secrets} the provider keys Lathe holds), plus the
     * agent's own {@code env}. A start waited for stops (and the process with it) once {@code cancelled} says so.
     * @throws AgentFailure when it cannot be started
     */
    public AgentConnection connection(Path project, String name, Config.AgentCommand command, Set<String> secrets, BooleanSupplier cancelled) {
        var key = new Key(project, name);
        AgentConnection stale;
        synchronized (this) {
            if (closed) throw new AgentFailure("Lathe is stopping");
            AgentConnection running = connections.get(key);
            if (running != null && running.alive() && running.command().equals(command)) return running;
            stale = connections.remove(key);
        }
        if (stale != null) {
            LOG.log(System.Logger.Level.WARNING, "ACP agent {0} of {1} {2}: starting it again", name, project,
                    stale.alive() ? "has a new command" : "is no longer running");
            forgetConnection(stale);
            stale.close();
        }
        Map<String, String> childEnv = new HashMap<>(ChildEnvironment.scrubbed(env, secrets));
        childEnv.putAll(command.env());
        AgentConnection started = AgentConnection.start(name, command, project, childEnv, START_TIMEOUT, cancelled);
        synchronized (this) {
            if (closed) {
                started.close();
                throw new AgentFailure("Lathe is stopping");
            }
            AgentConnection raced = connections.putIfAbsent(key, started);
            if (raced == null) return started;
            started.close();
            return raced;
        }
    }

    /** The agent session carrying {@code session} on {@code connection}, when one was opened there. */
    public Optional<Binding> binding(String session, AgentConnection connection) {
        return Optional.ofNullable(bindings.get(session)).filter(b -> b.connection() == connection);
    }

    public void bind(String session, Binding binding) { bindings.put(session, binding); }

    /** Forgets which agent session carries {@code session} (it was deleted, or its agent session abandoned). */
    public void forget(String session) { bindings.remove(session); }

    /** Whether an agent session is known to carry {@code session}. */
    public boolean bound(String session) { return bindings.containsKey(session); }

    private void forgetConnection(AgentConnection gone) {
        bindings.values().removeIf(b -> b.connection() == gone);
    }

    /** Stops the agents of the project instance at {@code project} (it closed). */
    public void closeProject(Path project) {
        List<AgentConnection> stopping = new ArrayList<>();
        synchronized (this) {
            connections.entrySet().removeIf(e -> {
                if (!e.getKey().project().equals(project)) return false;
                stopping.add(e.getValue());
                return true;
            });
        }
        stop(stopping);
    }

    @Override
    public void close() {
        List<AgentConnection> stopping;
        synchronized (this) {
            closed = true;
            stopping = new ArrayList<>(connections.values());
            connections.clear();
        }
        stop(stopping);
    }

    private void stop(List<AgentConnection> stopping) {
        stopping.forEach(this::forgetConnection);
        for (AgentConnection c : stopping) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "stopping an ACP agent failed: " + e.getMessage());
            }
        }
    }
}
