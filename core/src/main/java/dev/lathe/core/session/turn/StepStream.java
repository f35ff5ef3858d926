package dev.lathe.core.session.turn;

import dev.lathe.core.budget.SpendLedger;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.session.journal.LiveText;
import dev.lathe.core.session.journal.RawLog;
import dev.lathe.core.session.journal.StepParts;
import dev.lathe.core.toolcall.SecretMask;
import dev.lathe.core.toolcall.SecretStream;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.LlmSink;
import dev.lathe.llm.QuotaWindow;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenEstimate;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns one streamed response into stored parts: text and reasoning parts grow with each delta (published at once,
 * written at most every 250 ms, less often as they grow, and at the end), tool calls become pending tool parts and are
 * handed to {@code onToolCall} as soon as their arguments are complete, so they run while the model is still streaming.
 *
 * <p>What it guarantees, whatever the provider sends:
 * <ul>
 * <li>An attempt that fails (the provider's error, a stall, a malformed event) leaves nothing half-said: its text,
 *     reasoning and unfinished tool calls are deleted from the history (announced as removed) and kept only in the
 *     {@link RawLog}; the calls it finished stay, with their results, so they never run again.</li>
 * <li>Each call gets its own part and result: a call id the response (or the message before it) already used is
 *     renamed {@code <id>_2}, {@code <id>_3}, ... consistently, so the next request is valid for the provider.</li>
 * <li>Streaming is linear in the answer's size: a delta is announced without building the part, and the part is
 *     written again only after it grew by a quarter (geometric flushes); an answer larger than {@code maxAnswerBytes}
 *     stops the stream ({@link #capped}).</li>
 * </ul>
 */
final class StepStream implements LlmSink {
    private static final long FLUSH_MILLIS = 250;
    /** The generated text kept for estimating its tokens when the provider reports no usage; beyond it, scaled. */
    private static final int SAMPLE_CHARS = 32 * 1024;

    private final StepParts journal;
    private final SessionId session;
    private final MessageId message;
    private final Consumer<Part.Tool> onToolCall;
    private final RawLog rawLog;
    private final long maxAnswerBytes;
    private final Map<Integer, Growing> growing = new HashMap<>();
    /** Every text and reasoning part this attempt wrote, by id: what a failed attempt deletes. */
    private final Map<PartId, Growing> written = new LinkedHashMap<>();
    /** Tool calls by content block, as started. */
    private final Map<Integer, Part.Tool> toolParts = new LinkedHashMap<>();
    private final Set<Integer> finishedBlocks = new HashSet<>();
    /** Call ids the message holds already, and this response's: a repeated one is renamed. */
    private final Set<String> usedCallIds;
    private final List<Part.Tool> calls = new ArrayList<>();
    /** Finished calls whose arguments are not valid JSON, held until the response ends ({@link #settleHeld}). */
    private final List<Part.Tool> held = new ArrayList<>();
    /** Calls that completed in a failed attempt of this step, by {@link #replayKey}: sent again, they are not run again. */
    private Map<String, Part.Tool> ranBefore = Map.of();
    private SecretMask mask = SecretMask.of(Set.of());
    private TokenUsage usage = TokenUsage.ZERO;
    private List<QuotaWindow> quota = List.of();
    private final StringBuilder sample = new StringBuilder();
    /** Every character the provider streamed (text, reasoning, tool names and arguments as they came): a cut attempt's output. */
    private long streamedChars;
    /** How the last {@link #receive} ended: whether the provider refused the request or may have processed one that streamed nothing. */
    private LlmEvent.Finished ended = LlmEvent.Finished.ok(StopReason.STOP);
    private boolean generatedSomething;
    private long answerBytes;
    private volatile boolean capped;
    private volatile Cancellation streamCancel;
    private volatile long lastEventAt = System.nanoTime();

    /** A text or reasoning part being streamed. */
    private static final class Growing {
        final PartId id;
        final boolean reasoning;
        /** Shared with the journal while it streams: a client's snapshot reads it from another thread. */
        final LiveText text = new LiveText();
        /** The answer's text masked as it streams; none for reasoning, whose signature covers its exact text. */
        final SecretStream masked;
        String signature = "";
        long flushedAt;
        int flushedChars;

        Growing(PartId id, boolean reasoning, SecretMask mask) {
            this.id = id;
            this.reasoning = reasoning;
            this.masked = reasoning || mask.isEmpty() ? null : mask.stream();
        }
    }

    StepStream(StepParts parts, SessionId session, MessageId message, Consumer<Part.Tool> onToolCall) {
        this(parts, session, message, onToolCall, Set.of(), RawLog.NONE, Long.MAX_VALUE);
    }

    /**
     * @param parts          where the response's parts are written (the session's journal in a turn)
     * @param usedCallIds    call ids the message already holds (earlier steps and attempts): a call reusing one is renamed;
     *                       a {@link HashSet} is taken over (the ids given join it), any other set is copied
     * @param rawLog         where a failed attempt's discarded parts go
     * @param maxAnswerBytes the most text and reasoning (UTF-8 bytes) one response may stream before it is stopped
     */
    StepStream(StepParts parts, SessionId session, MessageId message, Consumer<Part.Tool> onToolCall, Set<String> usedCallIds,
            RawLog rawLog, long maxAnswerBytes) {
        this.journal = parts;
        this.session = session;
        this.message = message;
        this.onToolCall = onToolCall;
        // a HashSet is the caller's own, made for this stream (StepLoop's): taken over rather than hashed again per step
        this.usedCallIds = usedCallIds instanceof HashSet<String> own ? own : new HashSet<>(usedCallIds);
        this.rawLog = rawLog;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /**
     * Masks the secrets the server knows in the answer's text as it streams (DESIGN §26): a model that repeats a key it
     * was given never shows it, nor its first characters, to a client or to its own next request.
     */
    StepStream masking(SecretMask mask) {
        this.mask = mask;
        return this;
    }

    /**
     * The calls of this message that completed in attempts that failed: a retried response that repeats one of them
     * (same provider id, tool and arguments — a replay, since the model was sent its result) gets that result again
     * instead of a second run (DESIGN §7: a retry never re-runs a completed tool).
     */
    StepStream replaying(List<Part.Tool> completedInFailedAttempts) {
        Map<String, Part.Tool> ran = new HashMap<>();
        for (Part.Tool t : completedInFailedAttempts) ran.put(replayKey(t.callId(), t.tool(), t.input().json()), t);
        this.ranBefore = ran;
        return this;
    }

    private static String replayKey(String providerId, String tool, String inputJson) {
        return providerId + "\n" + tool + "\n" + inputJson;
    }

    @Override
    public void accept(LlmEvent event) {
        lastEventAt = System.nanoTime();
        streamedChars += switch (event) {
            case LlmEvent.TextDelta d -> d.text().length();
            case LlmEvent.ReasoningDelta d -> d.text().length();
            case LlmEvent.ToolCallStarted s -> s.name().length();
            case LlmEvent.ToolCallArgsDelta d -> d.json().length();
            default -> 0;
        };
        if (capped) return;
        switch (event) {
            case LlmEvent.TextDelta d -> grow(d.block(), false, d.text(), "");
            case LlmEvent.ReasoningDelta d -> grow(d.block(), true, d.text(), d.signature().orElse(""));
            case LlmEvent.ToolCallStarted s -> {
                finishGrowing();
                var part = new Part.Tool(PartId.next(), session, message, ownId(s.callId()), s.name(), new ToolState.Pending(RawJson.EMPTY_OBJECT));
                toolParts.put(s.block(), part);
                // some decoders number several calls with one block (a parallel wrapper): this one is not finished yet
                finishedBlocks.remove(s.block());
                // a call in the making is not worth a wait for its commit: written behind, announced after it, and
                // still before the call's later states, which are queued after it (as are the step's other parts)
                journal.partBehind(part);
            }
            case LlmEvent.ToolCallArgsDelta _, LlmEvent.HostedToolUsed _ -> { }
            case LlmEvent.ToolCallFinished f -> {
                finishGrowing();
                Part.Tool started = toolParts.get(f.block());
                if (started == null || finishedBlocks.contains(f.block())) {
                    started = new Part.Tool(PartId.next(), session, message, ownId(f.callId()), f.name(), new ToolState.Pending(RawJson.EMPTY_OBJECT));
                    toolParts.put(f.block(), started);
                }
                finishedBlocks.add(f.block());
                var part = new Part.Tool(started.id(), session, message, started.callId(), f.name(), new ToolState.Pending(input(f.argsJson())),
                        f.signature().map(sig -> Map.of("signature", sig)).orElse(Map.of()));
                generated(f.name());
                generated(f.argsJson());
                Part.Tool earlier = ranBefore.get(replayKey(f.callId(), f.name(), part.input().json()));
                if (earlier != null && earlier.state() instanceof ToolState.Completed done) {
                    part = part.withState(new ToolState.Completed(done.input(), "[This call already ran in the attempt that failed; it was not run "
                            + "again. Its result:]\n" + done.output(), done.title(), done.metadata(), done.startedAt(), done.endedAt(),
                            done.attachments(), done.display()));
                    journal.partBehind(part);
                    calls.add(part);
                    return;
                }
                journal.partBehind(part);
                calls.add(part);
                // arguments that are not JSON may be a call the output limit cut: whether it was is known only at the end
                // of the response, and a cut call must never run (settleHeld)
                if (!isJsonObject(f.argsJson())) held.add(part);
                else onToolCall.accept(part);
            }
            case LlmEvent.UsageReported u -> usage = u.usage();
            case LlmEvent.QuotaReported q -> quota = q.windows();
            case LlmEvent.Finished _ -> finishGrowing();
        }
    }

    /**
     * The id a call is stored and sent back with: the provider's, unless the message already has a call with it (a
     * provider that repeats ids in one response, or numbers them per response), then the first free
     * {@code <id>_<n>} from 2 up. Each call so gets its own result, and the provider is sent ids that pair one to one.
     */
    private String ownId(String providerId) {
        String id = providerId.isEmpty() ? "call" : providerId;
        String base = id;
        for (int n = 2; usedCallIds.contains(id); n++) id = base + "_" + n;
        usedCallIds.add(id);
        return id;
    }

    /**
     * Whether a call's arguments are a whole JSON object (or nothing, which means none): what a call cut mid-arguments is
     * not. Some decoders hand over arguments they could not parse as a JSON string, so valid JSON is not enough.
     */
    private static boolean isJsonObject(String argsJson) {
        String trimmed = argsJson.strip();
        return trimmed.isEmpty() || trimmed.startsWith("{") && WireJson.isValidJson(trimmed);
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
            g = new Growing(PartId.next(), reasoning, mask);
            growing.put(block, g);
            written.put(g.id, g);
            g.flushedAt = System.currentTimeMillis();
            journal.part(partOf(g));
        }
        if (!signature.isEmpty()) g.signature = signature;
        if (delta.isEmpty()) return;
        answerBytes += utf8Bytes(delta);
        if (answerBytes > maxAnswerBytes) {
            stop();
            return;
        }
        if (!reasoning) generated(delta);
        String shown = g.masked == null ? delta : g.masked.push(delta);
        if (!shown.isEmpty()) journal.delta(message, g.id, g.text, shown);
        long now = System.currentTimeMillis();
        // a flush writes the whole part: only after it grew by a quarter, so writing an answer costs a few times its size
        if (now - g.flushedAt >= FLUSH_MILLIS && g.text.length() - g.flushedChars >= g.flushedChars / 4) {
            journal.partUnannounced(partOf(g));
            g.flushedAt = now;
            g.flushedChars = g.text.length();
        }
    }

    /** The answer passed the limit: the stream is stopped; what was said so far stays. */
    private void stop() {
        capped = true;
        Cancellation c = streamCancel;
        if (c != null) c.cancel();
    }

    private void generated(String text) {
        if (sample.length() < SAMPLE_CHARS) sample.append(text, 0, Math.min(text.length(), SAMPLE_CHARS - sample.length()));
        if (!generatedSomething && !text.isBlank()) generatedSomething = true;
    }

    private static long utf8Bytes(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    private Part partOf(Growing g) {
        return g.reasoning
                ? new Part.Reasoning(g.id, session, message, g.text.toString(), g.signature.isEmpty() ? Map.of() : Map.of("signature", g.signature))
                : new Part.Text(g.id, session, message, g.text.toString(), false);
    }

    private void flush(Growing g) {
        // the part's text is complete: what was held back as a possible start of a secret is decided now
        if (g.masked != null && g.masked.holding()) journal.delta(message, g.id, g.text, g.masked.finish());
        journal.part(partOf(g));
        g.flushedChars = g.text.length();
    }

    /** Writes and announces every streaming part in full; called at block boundaries and at the end. */
    void finishGrowing() {
        for (Growing g : growing.values()) flush(g);
        growing.clear();
    }

    /** Tool calls the model started but never finished (a cut or restarted stream) fail, so no part stays pending. */
    void abandonUnfinished() {
        long now = System.currentTimeMillis();
        for (var e : toolParts.entrySet()) {
            if (finishedBlocks.contains(e.getKey())) continue;
            Part.Tool started = e.getValue();
            journal.part(started.withState(new ToolState.Failed(started.input(), "the model's tool call was cut off", now, now)));
        }
    }

    /**
     * The attempt failed and will not be kept: its text, reasoning and unfinished calls are deleted from the history and
     * announced as removed, and written to the raw log with {@code error}. Finished calls stay (they ran or are running;
     * their results go back to the model with the next attempt).
     */
    private void discard(String error) {
        growing.clear();
        List<Part> gone = new ArrayList<>();
        for (Growing g : written.values()) gone.add(partOf(g));
        for (var e : toolParts.entrySet()) if (!finishedBlocks.contains(e.getKey())) gone.add(e.getValue());
        // held calls never ran: like unfinished ones, they go with the attempt
        gone.addAll(held);
        calls.removeAll(held);
        held.clear();
        rawLog.failedAttempt(session, message.value(), error, gone);
        for (Part p : gone) journal.removePart(p);
        written.clear();
    }

    /**
     * How a step's request goes out and its response streams back: in a turn, through the spend ledger's reservation (the
     * only way a request goes out, DESIGN §24), {@link #through}; in a test, a script.
     */
    @FunctionalInterface
    interface Opener {
        /** Sends {@code request} and streams its response into {@code sink} until it ends or {@code cancel} fires. */
        LlmEvent.Finished send(LlmRequest request, LlmSink sink, Cancellation cancel);

        /** The request goes out through {@code reservation}, the ledger's admission of it, to {@code model}. */
        static Opener through(SpendLedger.Reservation reservation, ResolvedModel model) {
            return (request, sink, cancel) -> reservation.send(model.protocol(), model.provider(), request, sink, cancel);
        }
    }

    /**
     * Sends {@code request} to the model through {@code opener} ({@code origin} names its server in a stall's error), and streams its response into parts. A stream silent for {@code idleTimeout}
     * is ended as {@link LlmError.Stalled}: it gets its own cancellation, so a stall ends the stream without aborting
     * the turn's tools. When the provider failed (and the turn was not aborted), the attempt's partial output is
     * discarded ({@link #discard}); otherwise parts still growing are written and calls left unfinished fail. An answer
     * stopped at the size limit ends as {@link StopReason#LENGTH}, with {@link #capped} set.
     */
    LlmEvent.Finished receive(Opener opener, String origin, LlmRequest request, Duration idleTimeout, Cancellation cancellation) {
        Cancellation own = cancellation.child();
        streamCancel = own;
        LlmEvent.Finished finish = LlmEvent.Finished.failed(new LlmError.Transport("the stream ended unexpectedly"));
        try (var watchdog = StallWatchdog.start(this::lastEventAt, idleTimeout, own)) {
            finish = opener.send(request, this, own);
            if (capped) finish = LlmEvent.Finished.ok(StopReason.LENGTH);
            else if (watchdog.fired() && !cancellation.isCancelled()) {
                finish = LlmEvent.Finished.failed(new LlmError.Stalled(origin + ": no data from the provider for " + idleTimeout.toSeconds() + " s"));
            }
            return finish;
        } finally {
            own.detach();
            ended = finish;
            if (finish.error().isPresent() && !cancellation.isCancelled() && !capped) {
                discard(LlmError.kind(finish.error().get()) + ": " + finish.error().get().message());
            } else {
                finishGrowing();
                abandonUnfinished();
                settleHeld(finish, request);
            }
        }
    }

    /** What the model is told about a call the output limit cut (the note after the step says the same of the whole response). */
    static final String CUT_CALL = "Your output was cut off at the output token limit while you were writing this call's arguments, so the call "
            + "did not run. Write smaller pieces: split the work into several calls, for example a large file as a first part with write "
            + "and the rest appended with edit.";

    /**
     * The calls held for arguments that are not JSON, once the response ended: when it was cut at the output limit they
     * fail with {@link #CUT_CALL} and never run (their arguments are a fragment, not a mistake to repair); otherwise they
     * run, and the tool says what is wrong with their arguments.
     */
    private void settleHeld(LlmEvent.Finished finish, LlmRequest request) {
        boolean cut = finish.error().isEmpty() && (finish.atOutputLimit()
                || request.maxOutputTokens() > 0 && usage.output() >= request.maxOutputTokens());
        long now = System.currentTimeMillis();
        for (Part.Tool call : held) {
            // an aborted response runs nothing more
            if (finish.error().isPresent()) journal.part(call.withState(new ToolState.Failed(call.input(), "the response ended before this call ran", now, now)));
            else if (cut) journal.part(call.withState(new ToolState.Failed(call.input(), CUT_CALL, now, now)));
            else onToolCall.accept(call);
        }
        held.clear();
    }

    List<Part.Tool> calls() { return calls; }

    /** Whether the answer passed {@code maxAnswerBytes} and the stream was stopped there. */
    boolean capped() { return capped; }

    /** {@link System#nanoTime()} of the last event (or of the stream's start). */
    long lastEventAt() { return lastEventAt; }

    TokenUsage usage() { return usage; }

    /** The rate-limit windows the response reported, empty when it reported none. */
    List<QuotaWindow> quota() { return quota; }

    /**
     * The usage the provider reported, or — when it reported none (some local servers and proxies) — an estimate:
     * the request's tokens as input and the generated text's as output, so budgets and compaction still work.
     */
    TokenUsage estimatedUsage(LlmRequest request) {
        if (!usage.equals(TokenUsage.ZERO) || streamedChars == 0) return usage;
        // reasoning alone is output too: a response of hidden thinking and nothing else was processed and billed
        long sampled = sample.isEmpty() ? 0 : TokenEstimate.of(sample.toString());
        long output = sample.isEmpty() ? (streamedChars + 3) / 4 : Math.max(1, sampled * streamedChars / sample.length());
        return new TokenUsage(TokenEstimate.of(request), output, 0, 0, 0);
    }

    /**
     * What an attempt that failed consumed, as far as can be known: the usage the provider reported before the
     * stream broke (its input counts as reported; an Anthropic stream reports input at its start), topped up by an
     * estimate of what arrived after that report — input estimated from the request when none was reported, output
     * from every character streamed (text, reasoning, tool calls). Nothing streamed and nothing reported: a stream that
     * was accepted and then broke or stalled (hidden reasoning, keep-alives only, a 5xx) may have been processed and
     * billed, so it is charged the request's estimated input; a request refused before processing (an HTTP error
     * status before any stream — a 5xx included —, rate limit, overload, a bad key, an unreachable or untrusted server)
     * is charged nothing.
     */
    TokenUsage failedAttemptUsage(LlmRequest request) {
        if (ended.wasRefused()) return TokenUsage.ZERO;
        if (streamedChars == 0 && !usage.equals(TokenUsage.ZERO)) return usage;
        if (streamedChars == 0) {
            boolean mayHaveBeenProcessed = ended.error().map(e -> e instanceof LlmError.Transport || e instanceof LlmError.Stalled).orElse(false);
            return mayHaveBeenProcessed ? new TokenUsage(TokenEstimate.of(request), 0, 0, 0, 0) : TokenUsage.ZERO;
        }
        long sampled = sample.isEmpty() ? 0 : TokenEstimate.of(sample.toString());
        long output = sample.isEmpty() ? (streamedChars + 3) / 4 : Math.max(1, sampled * streamedChars / sample.length());
        boolean inputReported = usage.input() + usage.cacheRead() + usage.cacheWrite() > 0;
        long input = inputReported ? usage.input() : TokenEstimate.of(request);
        return new TokenUsage(input, Math.max(usage.output(), output), usage.reasoning(), usage.cacheRead(), usage.cacheWrite());
    }

    /** Whether the model generated any text (not reasoning) or tool call that is not blank. */
    boolean generatedSomething() { return generatedSomething; }
}
