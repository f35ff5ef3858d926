package dev.lathe.core.acpagent;

import dev.lathe.core.config.Config;
import dev.lathe.jsonrpc.Json;
import dev.lathe.jsonrpc.JsonRpcError;
import dev.lathe.jsonrpc.JsonRpcPeer;
import dev.lathe.protocol.Version;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One running ACP agent process and Lathe's client connection to it (ACP v1 over stdio). Lathe offers neither
 * {@code fs} nor {@code terminal}: the agent reads, edits and runs commands itself, under its own control (Claude
 * Code's adapter edits through its own tools whatever the client offers). Its stderr goes to Lathe's log, the last
 * lines kept for the error when it fails. Requests Lathe does not serve are answered "method not found".
 */
public final class AgentConnection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AgentConnection.class.getName());
    /** ACP's protocol version Lathe speaks. */
    static final int PROTOCOL_VERSION = 1;
    private static final int STDERR_LINES = 20;

    private final String name;
    private final Config.AgentCommand command;
    private final Process process;
    private final JsonRpcPeer peer;
    /** The prompt running in each agent session, by its id. */
    private final Map<String, AgentPrompt> prompts = new ConcurrentHashMap<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private Thread stderrReader;

    private AgentConnection(String name, Config.AgentCommand command, Process process) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.peer = new JsonRpcPeer("agent " + name, process.getInputStream(), process.getOutputStream(), new Handler());
    }

    /** How often a wait for the agent's answer looks whether the turn waiting was cancelled. */
    private static final long SLICE_MILLIS = 100;

    /**
     * The command with its program found on {@code env}'s PATH, as a shell given that environment would find it. The
     * JVM looks a bare name up on the server's own PATH instead, so a program found there (a version manager's
     * interpreter, say) would run under an environment made for another one and fail in ways of its own; a name not on
     * {@code env}'s PATH is left to the JVM, whose error names it.
     */
    static List<String> onPathOf(List<String> command, Map<String, String> env) {
        String program = command.getFirst();
        if (program.contains("/")) return command;
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                List<String> out = new ArrayList<>(command);
                out.set(0, candidate.toString());
                return out;
            }
        }
        return command;
    }

    /**
     * Starts the agent in {@code directory} with exactly {@code env} and initializes it (waiting at most
     * {@code timeout}, or until {@code cancelled} says the turn waiting was aborted: the process is then stopped).
     * @throws AgentFailure when it cannot be started, does not initialize, or the wait was cancelled
     */
    public static AgentConnection start(String name, Config.AgentCommand command, Path directory, Map<String, String> env, Duration timeout,
            BooleanSupplier cancelled) {
        var builder = new ProcessBuilder(onPathOf(command.command(), env)).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AgentFailure("cannot start the ACP agent '" + name + "' (" + String.join(" ", command.command()) + "): " + e.getMessage(), e);
        }
        var connection = new AgentConnection(name, command, process);
        connection.stderrReader = Thread.ofVirtual().name("acp-agent-stderr-" + name).start(connection::logStderr);
        connection.peer.start();
        try {
            ObjectNode params = Json.object().put("protocolVersion", PROTOCOL_VERSION);
            ObjectNode caps = params.putObject("clientCapabilities");
            caps.putObject("fs").put("readTextFile", false).put("writeTextFile", false);
            caps.put("terminal", false);
            params.putObject("clientInfo").put("name", "lathe").put("version", Version.current());
            JsonNode answer = connection.await(connection.peer.request("initialize", params), timeout, "initialize", cancelled);
            int version = answer.path("protocolVersion").asInt(-1);
            if (version != PROTOCOL_VERSION) {
                throw new AgentFailure("the ACP agent '" + name + "' speaks protocol version " + version + ", Lathe speaks " + PROTOCOL_VERSION);
            }
            return connection;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The command it was started with: a changed configuration starts another. */
    public Config.AgentCommand command() { return command; }

    /** Opens an agent session working in {@code cwd}; returns its id. Waits as {@link #start} does. */
    public String newSession(Path cwd, Duration timeout, BooleanSupplier cancelled) {
        ObjectNode params = Json.object().put("cwd", cwd.toString());
        params.putArray("mcpServers");
        JsonNode answer = await(peer.request("session/new", params), timeout, "session/new", cancelled);
        String id = answer.path("sessionId").asString("");
        if (id.isEmpty()) throw new AgentFailure("the ACP agent '" + name + "' answered session/new without a sessionId");
        return id;
    }

    /** Selects the agent session's mode ({@code session/set_mode}). @throws AgentFailure when the agent refuses it */
    public void setMode(String session, String mode, Duration timeout, BooleanSupplier cancelled) {
        await(peer.request("session/set_mode", Json.object().put("sessionId", session).put("modeId", mode)), timeout, "session/set_mode " + mode,
                cancelled);
    }

    /** Sends {@code text} as a prompt in agent session {@code session}; what it streams arrives in the prompt returned. */
    public AgentPrompt prompt(String session, List<String> text) {
        var prompt = new AgentPrompt();
        prompts.put(session, prompt);
        ObjectNode params = Json.object().put("sessionId", session);
        var blocks = params.putArray("prompt");
        for (String t : text) blocks.addObject().put("type", "text").put("text", t);
        peer.request("session/prompt", params).whenComplete((answer, failure) -> {
            prompts.remove(session, prompt);
            if (failure == null) prompt.response.complete(answer);
            else prompt.response.completeExceptionally(failed("session/prompt", failure));
            prompt.cancelAsks();
        });
        return prompt;
    }

    /** Asks the agent to stop the prompt running in {@code session} ({@code session/cancel}); its open asks are answered cancelled. */
    public void cancel(String session) {
        peer.notify("session/cancel", Json.object().put("sessionId", session));
        AgentPrompt prompt = prompts.get(session);
        if (prompt != null) prompt.cancelAsks();
    }

    /**
     * Leaves the prompt running in {@code session} to itself (the agent ignored {@code session/cancel}): what the agent
     * still sends about it is dropped and its asks are answered cancelled. The process and its other sessions go on.
     */
    public void abandon(String session) {
        AgentPrompt prompt = prompts.remove(session);
        if (prompt != null) prompt.cancelAsks();
    }

    /** Whether a prompt of a session other than {@code session} is running on this connection. */
    public boolean othersPrompting(String session) {
        return prompts.keySet().stream().anyMatch(s -> !s.equals(session));
    }

    public boolean alive() { return process.isAlive() && !peer.closed().isDone(); }

    /** Stops the agent: its input closed, then its process (and what it started) ended. */
    @Override
    public void close() {
        peer.close();
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** The answer, waited for in slices so that an aborted turn stops waiting at once. */
    private JsonNode await(CompletableFuture<JsonNode> answer, Duration timeout, String method, BooleanSupplier cancelled) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                if (cancelled.getAsBoolean()) throw new AgentFailure("cancelled while waiting for the ACP agent '" + name + "' to answer " + method);
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new TimeoutException();
                try {
                    return answer.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException slice) {
                    // not yet: look at the cancellation again
                }
            }
        } catch (TimeoutException e) {
            throw new AgentFailure("the ACP agent '" + name + "' did not answer " + method + " within " + timeout.toSeconds() + " s" + tail());
        } catch (ExecutionException e) {
            throw failed(method, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentFailure("interrupted while waiting for the ACP agent '" + name + "'");
        }
    }

    private AgentFailure failed(String method, Throwable cause) {
        if (cause instanceof CompletionException c && c.getCause() != null) cause = c.getCause();
        if (cause instanceof JsonRpcError e && e.code() != JsonRpcError.CONNECTION_CLOSED) {
            return new AgentFailure("the ACP agent '" + name + "' answered " + method + " with an error: " + e.getMessage()
                    + e.data().map(d -> " (" + d + ")").orElse(""));
        }
        String exit;
        try {
            exit = process.waitFor(2, TimeUnit.SECONDS) ? "exited with code " + process.exitValue() : "closed its output";
            // its last words on stderr are read before they are quoted (a child still holding stderr open is not waited for long)
            stderrReader.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit = "closed its output";
        }
        return new AgentFailure("the ACP agent '" + name + "' " + exit + " during " + method + tail());
    }

    /** The last lines the agent wrote to stderr, as the end of an error message (empty when none). */
    private String tail() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "" : "; its last output on stderr:\n" + String.join("\n", stderrTail);
        }
    }

    private void logStderr() {
        try (var lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                LOG.log(System.Logger.Level.INFO, "acp agent {0}: {1}", name, line);
                synchronized (stderrTail) {
                    stderrTail.add(line.length() > 500 ? line.substring(0, 500) + "…" : line);
                    if (stderrTail.size() > STDERR_LINES) stderrTail.removeFirst();
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "stderr of acp agent " + name + " ended: " + e.getMessage());
        }
    }

    /** What the agent asks of Lathe: permission (routed to the turn running the prompt) and updates. */
    private final class Handler implements JsonRpcPeer.Handler {
        @Override
        public JsonNode request(String method, JsonNode params) throws JsonRpcError {
            if (!method.equals("session/request_permission")) throw JsonRpcError.methodNotFound(method);
            AgentPrompt prompt = prompts.get(params.path("sessionId").asString(""));
            ObjectNode answer = Json.object();
            ObjectNode outcome = answer.putObject("outcome");
            if (prompt == null) {
                outcome.put("outcome", "cancelled");
                return answer;
            }
            List<PermissionAsk.Option> options = new ArrayList<>();
            params.path("options").forEach(o -> options.add(new PermissionAsk.Option(o.path("optionId").asString(""), o.path("name").asString(""),
                    o.path("kind").asString(""))));
            var ask = new PermissionAsk(AgentToolCall.of(params.path("toolCall")), options);
            prompt.offer(ask);
            PermissionAsk.Answer chosen = ask.answered().join();
            var option = ask.option(chosen);
            if (option.isEmpty()) {
                outcome.put("outcome", "cancelled");
            } else {
                outcome.put("outcome", "selected").put("optionId", option.get().id());
            }
            return answer;
        }

        @Override
        public void notification(String method, JsonNode params) {
            if (!method.equals("session/update")) return;
            AgentPrompt prompt = prompts.get(params.path("sessionId").asString(""));
            if (prompt != null) prompt.offer(AgentUpdate.of(params.path("update")));
        }
    }
}
