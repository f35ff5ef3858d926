package dev.lathe.llm;

import dev.lathe.llm.bpe.BytePairCounter;

/**
 * Token counts estimated locally, for what a provider does not report: the size of a request before it is sent
 * (compaction, the context report) and the usage of a response from a provider that reports none. It counts with
 * OpenAI's {@code o200k_base} encoding, which is exact for current OpenAI models and within about 10–20 % for other
 * vendors' tokenizers: good enough to decide what fits, never used for billing when the provider reports usage.
 */
public final class TokenEstimate {
    /**
     * What a provider charges for framing one message (role markers, separators) beyond its text; a few tokens on
     * every wire protocol.
     */
    static final int PER_MESSAGE = 4;
    /** An image or a PDF page set: providers price them by pixels or pages, which the estimate does not decode. */
    static final int PER_IMAGE = 1_600;

    private TokenEstimate() {}

    /**
     * Loaded on first use: reading the encoding's vocabulary costs tens of milliseconds, never on the start-up path. Held
     * for good once read: ~5 MB in {@link BytePairCounter}'s flat tables (decision 117).
     */
    private static final class Holder {
        static final BytePairCounter O200K = BytePairCounter.o200k();
    }

    /**
     * Texts longer than this are counted on their first {@code EXACT_CHARS} characters and scaled by length: a
     * model's 3 MB answer of long unbroken runs took ~1 s to count exactly, on the turn's thread, at every step that
     * estimated a request holding it (HostileServerIT's BIG turns).
     */
    static final int EXACT_CHARS = 64 * 1024;

    public static int of(String text) {
        if (text == null || text.isEmpty()) return 0;
        if (text.length() <= EXACT_CHARS) return Holder.O200K.count(text);
        long sampled = Holder.O200K.count(text.substring(0, EXACT_CHARS));
        return (int) Math.min(Integer.MAX_VALUE, sampled * text.length() / EXACT_CHARS);
    }

    public static int of(Content content) {
        return switch (content) {
            case Content.Text t -> of(t.text());
            case Content.Image _ -> PER_IMAGE;
            case Content.Reasoning r -> of(r.text());
            case Content.ToolCall c -> of(c.name()) + of(c.argsJson()) + PER_MESSAGE;
            case Content.ToolResult r -> of(r.output()) + PER_MESSAGE;
        };
    }

    public static int of(LlmMessage message) {
        int total = PER_MESSAGE;
        for (Content c : message.content()) total += of(c);
        return total;
    }

    public static int of(ToolSpec tool) {
        return of(tool.name()) + of(tool.description()) + of(tool.parametersSchema()) + PER_MESSAGE;
    }

    /** The whole prompt of a request: system blocks, tool definitions and messages. */
    public static int of(LlmRequest request) {
        int total = 0;
        for (String s : request.system()) total += of(s) + PER_MESSAGE;
        for (ToolSpec t : request.tools()) total += of(t);
        for (LlmMessage m : request.messages()) total += of(m);
        return total;
    }
}
