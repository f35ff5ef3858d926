package dev.lathe.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Provider-neutral repairs applied to every request before its protocol encodes it (DESIGN §7 "Transforms"): tool-call
 * ids another provider minted are rewritten to ones this provider accepts, empty text blocks are dropped (several APIs
 * reject them), empty tool output becomes a short note, and a message left with no content is removed (its
 * neighbours joined when that puts two of one role in a row).
 */
public final class RequestTransforms {
    static final String NO_OUTPUT = "(no output)";

    private RequestTransforms() {}

    public static LlmRequest apply(Provider provider, LlmRequest request) {
        return apply(provider, request, KeptRepairs.none());
    }

    /** As above, the repairs of the messages {@code kept} holds from the turn's previous step taken as they were. */
    public static LlmRequest apply(Provider provider, LlmRequest request, KeptRepairs kept) {
        UnaryOperator<String> ids = ToolCallIds.forProvider(provider);
        kept.begin(provider);
        List<LlmMessage> messages = new ArrayList<>();
        for (LlmMessage m : request.messages()) {
            LlmMessage repaired = kept.find(m);
            if (repaired == null) {
                repaired = repaired(m, ids);
                kept.keep(m, repaired);
            }
            if (repaired == null || repaired == KeptRepairs.DROPPED) continue;
            // dropping a message can leave two of one role in a row, which providers reject: join them
            if (!messages.isEmpty() && messages.getLast().role() == m.role()) {
                List<Content> joined = new ArrayList<>(messages.getLast().content());
                joined.addAll(repaired.content());
                messages.set(messages.size() - 1, new LlmMessage(m.role(), joined));
            } else {
                messages.add(repaired);
            }
        }
        kept.end();
        return new LlmRequest(request.model(), request.system(), request.tools(), messages, request.maxOutputTokens(),
                request.toolChoice(), request.temperature(), request.cacheKey(), request.reasoning(), request.stableTtl());
    }

    /** {@code m} repaired: itself when nothing needed it (a block left as it was is the same object), null when nothing is left. */
    private static LlmMessage repaired(LlmMessage m, UnaryOperator<String> ids) {
        List<Content> content = new ArrayList<>();
        for (Content c : m.content()) {
            switch (c) {
                case Content.Text t -> { if (!t.text().isBlank()) content.add(t); }
                case Content.ToolCall call -> {
                    String id = ids.apply(call.callId());
                    content.add(id.equals(call.callId()) ? call : new Content.ToolCall(id, call.name(), call.argsJson(), call.signature()));
                }
                case Content.ToolResult r -> {
                    String id = ids.apply(r.callId());
                    boolean blank = r.output().isBlank();
                    content.add(id.equals(r.callId()) && !blank ? r : new Content.ToolResult(id, r.name(), blank ? NO_OUTPUT : r.output(), r.isError()));
                }
                case Content.Image _, Content.Reasoning _ -> content.add(c);
            }
        }
        if (content.isEmpty()) return null;
        return content.equals(m.content()) ? m : new LlmMessage(m.role(), content);
    }
}
