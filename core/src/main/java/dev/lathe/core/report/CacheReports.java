package dev.lathe.core.report;

import dev.lathe.core.context.PromptHashes;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CacheReport;
import dev.lathe.protocol.api.CacheReport.Block;
import dev.lathe.protocol.api.CacheReport.Outcome;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Usage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The cache report of a session (decisions §45), from what each step stored: the block hashes of its request on the
 * {@code StepStart} ({@link PromptHashes}) and the provider's usage on the {@code StepFinish}. Each request is compared
 * with the one before it, in layout order: the model, then {@code system}, {@code tools}, {@code instructions}, and the
 * messages, which continue the previous request exactly when this request's {@code prefix} hash equals the previous
 * {@code messages} hash. A {@code Compaction} or {@code ModelSwitch} part since the previous request explains a break.
 * Pure: no I/O, history in, report out.
 */
public final class CacheReports {
    /**
     * Below this many prompt tokens providers do not cache at all (OpenAI's minimum, Anthropic's for most models), so a
     * request that follows a smaller one is never reported as a miss.
     */
    static final long MIN_CACHEABLE = 1_024;
    /** A request that repeats a cacheable prefix yet reads less than this share of it from the cache missed. */
    static final double MISS_BELOW = 0.1;

    private CacheReports() {}

    /** The report over {@code history} (every stored message, oldest first). */
    public static CacheReport of(SessionId session, List<MessageWithParts> history) {
        Set<String> caching = modelsThatCached(history);
        List<CacheReport.Request> requests = new ArrayList<>();
        Optional<Sent> previous = Optional.empty();
        long lastPrompt = 0;
        Optional<Part.ModelSwitch> switched = Optional.empty();
        Optional<Part.Compaction> compacted = Optional.empty();
        Optional<Open> open = Optional.empty();
        for (MessageWithParts m : history) {
            if (!(m.info() instanceof AssistantMessage a)) {
                for (Part p : m.parts()) if (p instanceof Part.Compaction c) compacted = Optional.of(c);
                continue;
            }
            String model = a.model();
            int step = 0;
            for (Part p : m.parts()) {
                switch (p) {
                    case Part.ModelSwitch s -> {
                        model = s.to();
                        switched = Optional.of(s);
                    }
                    case Part.Compaction c -> compacted = Optional.of(c);
                    case Part.StepStart s -> {
                        step++;
                        var sent = new Sent(a.id(), step, model, s.promptHashes());
                        Verdict verdict = compare(previous, sent, switched, compacted);
                        open = Optional.of(new Open(sent, verdict));
                        previous = Optional.of(sent);
                        switched = Optional.empty();
                        // a compaction stays the explanation while its own summary request runs; the next one uses it up
                        if (compacted.isPresent() && !compacted.get().summaryMessageId().equals(Optional.of(a.id()))) compacted = Optional.empty();
                    }
                    case Part.StepFinish f -> {
                        if (open.isEmpty()) continue;
                        Open o = open.get();
                        open = Optional.empty();
                        Usage u = f.usage();
                        Verdict verdict = o.verdict();
                        if (verdict.outcome() == Outcome.KEPT && missed(u, lastPrompt, caching.contains(o.sent().model()))) {
                            verdict = new Verdict(Outcome.MISSED, Optional.empty(), Optional.of("cache expired or evicted"));
                        }
                        requests.add(new CacheReport.Request(o.sent().message(), o.sent().step(), o.sent().model(), u.input(), u.cacheRead(),
                                u.cacheWrite(), u.output(), u.hitRatio(), verdict.outcome(), verdict.broke(), verdict.reason()));
                        if (u.prompt() > 0) lastPrompt = u.prompt();
                    }
                    case Part.Text _, Part.Reasoning _, Part.Tool _, Part.File _, Part.Patch _, Part.Subtask _,
                            Part.Retry _, Part.Hook _ -> { }
                }
            }
        }
        return new CacheReport(session, requests, totals(requests));
    }

    /** A request as sent: where it sits, the model it went to and its block hashes. */
    private record Sent(MessageId message, int step, String model, Map<String, String> hashes) {}

    /** A request whose usage has not been read yet. */
    private record Open(Sent sent, Verdict verdict) {}

    private record Verdict(Outcome outcome, Optional<Block> broke, Optional<String> reason) {
        public static Verdict of(Outcome outcome) { return new Verdict(outcome, Optional.empty(), Optional.empty()); }
    }

    private static Verdict compare(Optional<Sent> previous, Sent now, Optional<Part.ModelSwitch> switched, Optional<Part.Compaction> compacted) {
        if (previous.isEmpty()) return Verdict.of(Outcome.FIRST);
        Sent before = previous.get();
        Optional<String> switchReason = switched.map(s -> "model switch: " + s.from() + " → " + s.to());
        if (!before.model().equals(now.model())) return new Verdict(Outcome.BROKE, Optional.of(Block.MODEL), switchReason);
        if (!complete(before.hashes()) || !complete(now.hashes())) return Verdict.of(Outcome.UNKNOWN);
        // sums of two checksums say nothing of each other (steps stored before decision 58 have SHA-256 hashes)
        if (!Objects.equals(before.hashes().get(PromptHashes.ALGORITHM), now.hashes().get(PromptHashes.ALGORITHM))) return Verdict.of(Outcome.UNKNOWN);
        for (var block : List.of(Block.SYSTEM, Block.TOOLS, Block.INSTRUCTIONS)) {
            String key = key(block);
            if (!before.hashes().get(key).equals(now.hashes().get(key))) return new Verdict(Outcome.BROKE, Optional.of(block), Optional.empty());
        }
        // no prefix hash: this request's messages do not even reach as far as the previous request's did
        boolean continued = Objects.equals(now.hashes().get(PromptHashes.PREFIX), before.hashes().get(PromptHashes.MESSAGES));
        if (continued) return Verdict.of(Outcome.KEPT);
        Optional<String> reason = compacted.map(_ -> "compaction").or(() -> switchReason);
        return new Verdict(Outcome.BROKE, Optional.of(Block.MESSAGES), reason);
    }

    /** Hashes as {@link PromptHashes} has recorded them since it records the request's shape. */
    private static boolean complete(Map<String, String> hashes) {
        return hashes.keySet().containsAll(List.of(PromptHashes.SYSTEM, PromptHashes.TOOLS, PromptHashes.INSTRUCTIONS, PromptHashes.MESSAGES,
                PromptHashes.SHAPE));
    }

    private static String key(Block block) {
        return switch (block) {
            case SYSTEM -> PromptHashes.SYSTEM;
            case TOOLS -> PromptHashes.TOOLS;
            case INSTRUCTIONS -> PromptHashes.INSTRUCTIONS;
            case MESSAGES -> PromptHashes.MESSAGES;
            case MODEL -> throw new IllegalArgumentException("the model has no hash");
        };
    }

    /**
     * A repeated prefix the provider did not serve from its cache: the previous prompt was large enough to cache, this
     * request read (almost) none of it, and the model did cache in this session (so it is not a provider without one).
     */
    private static boolean missed(Usage u, long lastPrompt, boolean modelCaches) {
        return modelCaches && u.prompt() > 0 && lastPrompt >= MIN_CACHEABLE && u.cacheRead() < MISS_BELOW * lastPrompt;
    }

    /** Models that read from or wrote to a cache at least once in this session. */
    private static Set<String> modelsThatCached(List<MessageWithParts> history) {
        Set<String> out = new HashSet<>();
        for (MessageWithParts m : history) {
            if (!(m.info() instanceof AssistantMessage a)) continue;
            String model = a.model();
            for (Part p : m.parts()) {
                if (p instanceof Part.ModelSwitch s) model = s.to();
                if (p instanceof Part.StepFinish f && f.usage().cacheRead() + f.usage().cacheWrite() > 0) out.add(model);
            }
        }
        return out;
    }

    private static CacheReport.Totals totals(List<CacheReport.Request> requests) {
        Usage sum = Usage.ZERO;
        CacheReport.Breaks breaks = CacheReport.Breaks.NONE;
        int missed = 0;
        for (CacheReport.Request r : requests) {
            sum = sum.plus(new Usage(r.input(), r.output(), 0, r.cacheRead(), r.cacheWrite()));
            if (r.broke().isPresent()) breaks = breaks.plus(r.broke().get());
            if (r.outcome() == Outcome.MISSED) missed++;
        }
        return new CacheReport.Totals(requests.size(), sum.input(), sum.cacheRead(), sum.cacheWrite(), sum.output(), sum.hitRatio(), breaks, missed);
    }
}
