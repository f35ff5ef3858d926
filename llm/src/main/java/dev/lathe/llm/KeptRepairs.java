package dev.lathe.llm;

import java.util.IdentityHashMap;
import java.util.Objects;

/**
 * The messages {@link RequestTransforms} repaired at a turn's previous step, kept for its next one (issue 55): a message
 * the context build hands on unchanged (the same object, DESIGN §7) is repaired as it was, found with a pointer compare
 * instead of its every tool-call id checked again. A repair depends only on the message and on what the provider
 * accepts as an id ({@link ToolCallIds}: its id, protocol and address); another provider drops everything kept. What a
 * step did not use is dropped at its end, so at most one request's messages are held. One turn's steps run one after
 * another: not shared between threads.
 */
public final class KeptRepairs {
    /** What a message repaired to nothing (only blank text) is kept as. */
    static final LlmMessage DROPPED = new LlmMessage(LlmMessage.Role.USER, java.util.List.of());

    private final boolean keeps;
    private Provider provider;
    private IdentityHashMap<LlmMessage, LlmMessage> current = new IdentityHashMap<>();
    private IdentityHashMap<LlmMessage, LlmMessage> next = new IdentityHashMap<>();

    private KeptRepairs(boolean keeps) {
        this.keeps = keeps;
    }

    /** Repairs kept from one request to the next of a turn. */
    public static KeptRepairs create() {
        return new KeptRepairs(true);
    }

    /** Nothing kept: every message repaired afresh. */
    public static KeptRepairs none() {
        return new KeptRepairs(false);
    }

    void begin(Provider target) {
        if (provider == null || !sameIds(provider, target)) current.clear();
        provider = target;
    }

    /** The repair of {@code m} at the previous step ({@link #DROPPED} if none was left), or null. */
    LlmMessage find(LlmMessage m) {
        if (!keeps) return null;
        LlmMessage repaired = current.get(m);
        if (repaired != null) next.put(m, repaired);
        return repaired;
    }

    void keep(LlmMessage m, LlmMessage repaired) {
        if (keeps) next.put(m, repaired == null ? DROPPED : repaired);
    }

    void end() {
        current = next;
        next = new IdentityHashMap<>();
    }

    /** Whether the two accept the same tool-call ids: what {@link ToolCallIds#forProvider} reads of them is equal. */
    private static boolean sameIds(Provider a, Provider b) {
        return a == b || a.id().equals(b.id()) && a.protocol().equals(b.protocol()) && Objects.equals(a.baseUrl(), b.baseUrl());
    }
}
