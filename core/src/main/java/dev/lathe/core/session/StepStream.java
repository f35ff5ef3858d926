package dev.lathe.core.session;

import dev.lathe.core.model.ResolvedModel;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.LlmSink;
import dev.lathe.llm.TokenUsage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.wire.WireJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns one streamed response into stored parts: text and reasoning parts grow with each delta (published at once,
 * written at most every 250 ms and at the end), tool calls become pending tool parts and are handed to
 * {@code onToolCall} as soon as their arguments are complete, so they run while the model is still streaming.
 */
final class StepStream implements LlmSink {
    private static final long FLUSH_MILLIS = 250;

    private final Journal journal;
    private final String directory;
    private final SessionId session;
    private final MessageId message;
    private final Consumer<Part.Tool> onToolCall;
    private final Map<Integer, Growing> growing = new HashMap<>();
    private final Map<String, Part.Tool> toolParts = new HashMap<>();
    private final List<Part.Tool> calls = new ArrayList<>();
    private TokenUsage usage = TokenUsage.ZERO;
    /** Everything the model generated, for estimating its size when the provider reports no usage. */
    private final StringBuilder generated = new StringBuilder();
    private volatile long lastEventAt = System.nanoTime();

    /** A text or reasoning part being streamed. */
    private static final class Growing {
        final PartId id;
        final boolean reasoning;
        final StringBuilder text = new StringBuilder();
        String signature = "";
        long flushedAt;

        Growing(PartId id, boolean reasoning) {
            this.id = id;
            this.reasoning = reasoning;
        }
    }

    StepStream(Journal journal, String directory, SessionId session, MessageId message, Consumer<Part.Tool> onToolCall) {
        this.journal = journal;
        this.directory = directory;
        this.session = session;
        this.message = message;
        this.onToolCall = onToolCall;
    }

    @Override
    public void accept(LlmEvent event) {
        lastEventAt = System.nanoTime();
        switch (event) {
            case LlmEvent.TextDelta d -> grow(d.block(), false, d.text(), "");
            case LlmEvent.ReasoningDelta d -> grow(d.block(), true, d.text(), d.signature().orElse(""));
            case LlmEvent.ToolCallStarted s -> {
                finishGrowing();
                var part = new Part.Tool(PartId.next(), session, message, s.callId(), s.name(), new ToolState.Pending(RawJson.EMPTY_OBJECT));
                toolParts.put(s.callId(), part);
                // a call in the making is not worth a wait for its commit: written behind, announced after it, and
                // still before the call's later states, which are queued after it (as are the step's other parts)
                journal.partBehind(directory, part);
            }
            case LlmEvent.ToolCallArgsDelta _, LlmEvent.HostedToolUsed _ -> { }
            case LlmEvent.ToolCallFinished f -> {
                finishGrowing();
                Part.Tool started = toolParts.get(f.callId());
                PartId id = started != null ? started.id() : PartId.next();
                var part = new Part.Tool(id, session, message, f.callId(), f.name(), new ToolState.Pending(input(f.argsJson())),
                        f.signature().map(sig -> Map.of("signature", sig)).orElse(Map.of()));
                journal.partBehind(directory, part);
                generated.append(f.name()).append(f.argsJson());
                calls.add(part);
                onToolCall.accept(part);
            }
            case LlmEvent.UsageReported u -> usage = u.usage();
            case LlmEvent.Finished _ -> finishGrowing();
        }
    }

    /** Tool arguments as stored: the model's JSON, or its text wrapped in a string when it is not valid JSON. */
    static RawJson input(String argsJson) {
        String trimmed = argsJson.strip();
        if (trimmed.isEmpty()) return RawJson.EMPTY_OBJECT;
        return WireJson.isValidJson(trimmed) ? new RawJson(trimmed) : new RawJson(WireJson.write(argsJson));
    }

    private void grow(int block, boolean reasoning, String delta, String signature) {
        Growing g = growing.get(block);
        if (g == null || g.reasoning != reasoning) {
            if (g != null) flush(g);
            g = new Growing(PartId.next(), reasoning);
            growing.put(block, g);
            g.flushedAt = System.currentTimeMillis();
            journal.part(directory, partOf(g));
        }
        if (!signature.isEmpty()) g.signature = signature;
        if (delta.isEmpty()) return;
        g.text.append(delta);
        generated.append(delta);
        Part part = partOf(g);
        journal.delta(directory, part, "text", delta);
        long now = System.currentTimeMillis();
        if (now - g.flushedAt >= FLUSH_MILLIS) {
            journal.partUnannounced(part);
            g.flushedAt = now;
        }
    }

    private Part partOf(Growing g) {
        return g.reasoning
                ? new Part.Reasoning(g.id, session, message, g.text.toString(), g.signature.isEmpty() ? Map.of() : Map.of("signature", g.signature))
                : new Part.Text(g.id, session, message, g.text.toString(), false);
    }

    private void flush(Growing g) {
        journal.part(directory, partOf(g));
    }

    /** Writes and announces every streaming part in full; called at block boundaries and at the end. */
    void finishGrowing() {
        for (Growing g : growing.values()) flush(g);
        growing.clear();
    }

    /** Tool calls the model started but never finished (a cut or restarted stream) fail, so no part stays pending. */
    void abandonUnfinished() {
        long now = System.currentTimeMillis();
        for (Part.Tool started : toolParts.values()) {
            if (calls.stream().anyMatch(c -> c.id().equals(started.id()))) continue;
            journal.part(directory, started.withState(new ToolState.Failed(started.input(), "the model's tool call was cut off", now, now)));
        }
    }

    /**
     * Sends {@code request} to the model and streams its response into parts. A stream silent for {@code idleTimeout}
     * is ended as {@link LlmError.Stalled}: it gets its own cancellation, so a stall ends the stream without aborting
     * the turn's tools. Parts still growing are written, and calls left unfinished fail, however it ends.
     */
    LlmEvent.Finished receive(ResolvedModel model, LlmRequest request, Duration idleTimeout, Cancellation cancellation) {
        Cancellation streamCancel = cancellation.child();
        try (var watchdog = StallWatchdog.start(this::lastEventAt, idleTimeout, streamCancel)) {
            LlmEvent.Finished finish = model.protocol().stream(model.provider(), request, this, streamCancel);
            if (watchdog.fired() && !cancellation.isCancelled()) {
                return LlmEvent.Finished.failed(new LlmError.Stalled("no data from the provider for " + idleTimeout.toSeconds() + " s"));
            }
            return finish;
        } finally {
            finishGrowing();
            abandonUnfinished();
        }
    }

    List<Part.Tool> calls() { return calls; }

    /** {@link System#nanoTime()} of the last event (or of the stream's start). */
    long lastEventAt() { return lastEventAt; }

    TokenUsage usage() { return usage; }

    /**
     * The usage the provider reported, or — when it reported none (some local servers and proxies) — an estimate:
     * the request's tokens as input and the generated text's as output, so budgets and compaction still work.
     */
    TokenUsage estimatedUsage(dev.lathe.llm.LlmRequest request) {
        if (!usage.equals(TokenUsage.ZERO) || generated.isEmpty()) return usage;
        return new TokenUsage(dev.lathe.llm.TokenEstimate.of(request), dev.lathe.llm.TokenEstimate.of(generated.toString()), 0, 0, 0);
    }

    /** The text (not reasoning) parts and tool calls the model generated so far, concatenated. */
    String generatedText() { return generated.toString(); }
}
