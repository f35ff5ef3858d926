package dev.lathe.core.acpagent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * One {@code session/prompt} in flight: what the agent sends about it arrives here in order (updates from the reader
 * thread, permission asks from theirs), and the turn takes it with {@link #next}. The response completes only after
 * every update the agent sent before it was queued (one reader, arrival order), so {@link #finished} means nothing is
 * left to read.
 */
public final class AgentPrompt {
    /** What the turn reads from the queue. */
    public sealed interface Incoming {
        record Update(AgentUpdate update) implements Incoming {}

        record Ask(PermissionAsk ask) implements Incoming {}
    }

    /** How the prompt ended: ACP's stop reason and the tokens the agent reported for it (0 when it did not). */
    public record Result(String stopReason, long input, long output, long cacheRead, long cacheWrite) {
        static Result of(JsonNode response) {
            JsonNode u = response.path("usage");
            return new Result(response.path("stopReason").asString("end_turn"), u.path("inputTokens").asLong(0), u.path("outputTokens").asLong(0),
                    u.path("cachedReadTokens").asLong(0), u.path("cachedWriteTokens").asLong(0));
        }
    }

    private final BlockingQueue<Incoming> items = new LinkedBlockingQueue<>();
    private final List<PermissionAsk> asks = new CopyOnWriteArrayList<>();
    final CompletableFuture<JsonNode> response = new CompletableFuture<>();

    void offer(AgentUpdate update) { items.add(new Incoming.Update(update)); }

    void offer(PermissionAsk ask) {
        asks.add(ask);
        items.add(new Incoming.Ask(ask));
        // an ask that arrives after the prompt ended is answered at once
        if (response.isDone()) ask.answer(PermissionAsk.Answer.CANCELLED);
    }

    /** The next item, waiting at most {@code wait}; empty when none came meanwhile. */
    public Optional<Incoming> next(Duration wait) throws InterruptedException {
        return Optional.ofNullable(items.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** The agent answered the prompt (or the connection ended) and everything it sent before was read. */
    public boolean finished() { return response.isDone() && items.isEmpty(); }

    /**
     * How it ended. @throws AgentFailure when the agent answered with an error or its process ended first
     */
    public Result result() {
        try {
            return Result.of(response.join());
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AgentFailure f) throw f;
            throw new AgentFailure(cause == null ? e.getMessage() : cause.getMessage(), cause);
        }
    }

    /** Answers every ask still open as cancelled (ACP: a client that cancels must). */
    public void cancelAsks() { asks.forEach(a -> a.answer(PermissionAsk.Answer.CANCELLED)); }
}
