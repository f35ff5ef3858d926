package dev.lathe.llm.gemini;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.StreamDecoder;
import dev.lathe.llm.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code streamGenerateContent} chunks → {@link LlmEvent}s, one instance per stream. Every chunk is a whole
 * {@code GenerateContentResponse}; only the first candidate is read. Blocks are numbered in order of appearance: a run
 * of text parts is one block, a run of thought parts another, each function call its own. Gemini sends a call whole,
 * so it is started, given its arguments and finished at once; Vertex AI may instead stream the arguments
 * ({@code willContinue} / {@code partialArgs}, see {@link PartialArgs}), and such a call finishes with its last piece.
 * A {@code thoughtSignature} on a call goes into its {@code ToolCallFinished}; one on a text part becomes a
 * signature-only reasoning block, so it can be sent back next to that text. The chunk with a {@code finishReason}
 * ends the response, carrying the final {@code usageMetadata}.
 */
final class Decoder implements StreamDecoder {
    /** Starts the ids this decoder makes up for calls Gemini sent without one; such ids are not sent back. */
    static final String SYNTHETIC_ID = "lathe_";

    private enum Run { NONE, TEXT, THOUGHT }

    /** A call whose arguments may still be arriving. */
    private static final class OpenCall {
        final int block;
        final String id;
        final String name;
        final PartialArgs args;
        Optional<String> signature = Optional.empty();

        OpenCall(int block, String id, String name, PartialArgs args) {
            this.block = block;
            this.id = id;
            this.name = name;
            this.args = args;
        }
    }

    private final String fallbackIdPrefix = SYNTHETIC_ID + UUID.randomUUID().toString().substring(0, 8) + "_";
    private int block = -1;
    private Run run = Run.NONE;
    private OpenCall open;
    private int finishedCalls;
    private int synthesized;
    private String responseId = "";
    private TokenUsage usage;
    private boolean done;

    @Override
    public List<LlmEvent> decode(String data) {
        List<LlmEvent> out = new ArrayList<>();
        if (done) return out;
        JsonNode chunk;
        try {
            chunk = Encoder.JSON.readTree(data);
        } catch (JacksonException e) {
            return fail(LlmError.unexpected("malformed stream chunk: " + e.getOriginalMessage()));
        }
        if (chunk == null || chunk.isMissingNode()) return out; // an empty data line
        if (chunk.has("error") || (chunk.isArray() && chunk.path(0).has("error"))) return fail(RpcStatus.error(chunk, 0));
        if (responseId.isEmpty()) responseId = chunk.path("responseId").asString("");
        usage(chunk.path("usageMetadata"));
        JsonNode candidate = chunk.path("candidates").path(0);
        for (JsonNode part : candidate.path("content").path("parts")) part(part, out);
        String finish = candidate.path("finishReason").asString("");
        String blocked = chunk.path("promptFeedback").path("blockReason").asString("");
        if (!finish.isEmpty()) out.addAll(finish(finish, candidate.path("finishMessage").asString("")));
        else if (!blocked.isEmpty()) out.addAll(finish("PROMPT_BLOCKED", blocked));
        return out;
    }

    /** The stream closed before a chunk with a finish reason: the response is incomplete. */
    @Override
    public List<LlmEvent> end() {
        if (done) return List.of();
        return fail(new LlmError.Transport("the stream ended before the response was complete"));
    }

    @Override
    public boolean isDone() { return done; }

    private void part(JsonNode part, List<LlmEvent> out) {
        Optional<String> signature = Optional.of(part.path("thoughtSignature").asString("")).filter(s -> !s.isEmpty());
        if (part.has("functionCall")) {
            functionCall(part.path("functionCall"), signature, out);
            return;
        }
        String text = part.path("text").asString("");
        if (part.path("thought").asBoolean(false)) {
            if (text.isEmpty() && signature.isEmpty()) return;
            if (run != Run.THOUGHT) startBlock(Run.THOUGHT);
            out.add(new LlmEvent.ReasoningDelta(block, text, signature));
            return;
        }
        if (!text.isEmpty()) {
            if (run != Run.TEXT) startBlock(Run.TEXT);
            out.add(new LlmEvent.TextDelta(block, text));
        }
        if (signature.isPresent()) {
            // a signature on an answer part: a block of its own, right after the text it came with
            startBlock(Run.NONE);
            out.add(new LlmEvent.ReasoningDelta(block, "", signature));
        }
    }

    private void functionCall(JsonNode fc, Optional<String> signature, List<LlmEvent> out) {
        String name = fc.path("name").asString("");
        if (!name.isEmpty()) {
            if (open != null) closeCall(out); // a new call while one is unfinished: the old one ended without its marker
            startBlock(Run.NONE);
            String id = fc.path("id").asString("");
            JsonNode args = fc.path("args");
            open = new OpenCall(block, id.isEmpty() ? syntheticId() : id, name,
                    new PartialArgs(args.isObject() ? (ObjectNode) args.deepCopy() : Encoder.JSON.createObjectNode()));
            out.add(new LlmEvent.ToolCallStarted(block, open.id, name));
        }
        if (open == null) return; // pieces of a call that never started
        if (signature.isPresent()) open.signature = signature;
        for (JsonNode piece : fc.path("partialArgs")) open.args.apply(piece);
        if (!fc.path("willContinue").asBoolean(false)) closeCall(out);
    }

    private void closeCall(List<LlmEvent> out) {
        String args = open.args.json().toString();
        out.add(new LlmEvent.ToolCallArgsDelta(open.block, args));
        out.add(new LlmEvent.ToolCallFinished(open.block, open.id, open.name, args, open.signature));
        finishedCalls++;
        open = null;
    }

    /** Unique across a conversation (other providers reject repeated call ids after a failover), stable within one response. */
    private String syntheticId() {
        String prefix = responseId.isEmpty() ? fallbackIdPrefix : SYNTHETIC_ID + responseId + "_";
        return prefix + synthesized++;
    }

    private void startBlock(Run kind) {
        block++;
        run = kind;
    }

    @Override
    public java.util.Optional<TokenUsage> usageSoFar() { return java.util.Optional.ofNullable(usage); }

    private void usage(JsonNode u) {
        // Vertex sends usageMetadata without counts ({"trafficType": ...}) on every chunk but the last
        if (!u.has("promptTokenCount") && !u.has("candidatesTokenCount")) return;
        long cached = u.path("cachedContentTokenCount").asLong(0);
        long thoughts = u.path("thoughtsTokenCount").asLong(0);
        long input = u.path("promptTokenCount").asLong(0) + u.path("toolUsePromptTokenCount").asLong(0);
        // Gemini counts cached tokens inside promptTokenCount and thoughts outside candidatesTokenCount; TokenUsage the other way round
        usage = new TokenUsage(Math.max(0, input - cached), u.path("candidatesTokenCount").asLong(0) + thoughts, thoughts, cached, 0);
    }

    private List<LlmEvent> finish(String reason, String detail) {
        List<LlmEvent> out = new ArrayList<>();
        StopReason stop = switch (reason) {
            case "MAX_TOKENS" -> StopReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "LANGUAGE", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT",
                    "IMAGE_RECITATION", "PROMPT_BLOCKED" -> StopReason.CONTENT_FILTER;
            case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS", "MALFORMED_RESPONSE", "MISSING_THOUGHT_SIGNATURE" -> StopReason.ERROR;
            default -> StopReason.STOP;
        };
        if (stop == StopReason.ERROR) return fail(failure(reason, detail));
        // a call still streaming its arguments is complete when the model stopped normally, cut off otherwise
        if (open != null && stop == StopReason.STOP) closeCall(out);
        open = null;
        if (usage != null) out.add(new LlmEvent.UsageReported(usage));
        done = true;
        out.add(finishedCalls > 0 && stop == StopReason.LENGTH ? LlmEvent.Finished.toolCallsAtOutputLimit()
                : LlmEvent.Finished.ok(finishedCalls > 0 ? StopReason.TOOL_CALLS : stop));
        return out;
    }

    /**
     * Finish reasons that leave no usable answer. The model's own slips may go right on another try; a missing thought
     * signature is our request's fault and would fail again.
     */
    private static LlmError failure(String reason, String detail) {
        String message = "Gemini stopped with " + reason + (detail.isBlank() ? "" : ": " + detail);
        return reason.equals("MISSING_THOUGHT_SIGNATURE") ? new LlmError.InvalidRequest(400, message) : new LlmError.Transport(message);
    }

    private List<LlmEvent> fail(LlmError error) {
        done = true;
        return List.of(LlmEvent.Finished.failed(error));
    }
}
