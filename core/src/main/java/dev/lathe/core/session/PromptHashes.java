package dev.lathe.core.session;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolSpec;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Short hashes of the blocks of one request in the cache layout of DESIGN §7, recorded on each step so a cache report
 * can say which block changed between two requests: {@code system} (block A), {@code tools}, {@code instructions}
 * (block B) and {@code messages} (all of them). Messages grow at every step, so their hash alone cannot tell growth
 * from a rewrite: {@code shape} records how many messages the request had and how many blocks its last one held, and
 * {@code prefix} hashes this request's messages cut to the previous request's shape — equal to the previous
 * {@code messages} exactly when this request extends the previous one. Hashes cover the protocol-neutral request,
 * not the wire bytes.
 */
final class PromptHashes {
    static final String SYSTEM = "system";
    static final String TOOLS = "tools";
    static final String INSTRUCTIONS = "instructions";
    static final String MESSAGES = "messages";
    static final String SHAPE = "shape";
    static final String PREFIX = "prefix";

    private PromptHashes() {}

    /** {@code previousShape}: the {@code shape} of the session's previous request, when there was one. */
    static Map<String, String> of(LlmRequest request, Optional<String> previousShape) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(SYSTEM, hash(request.system().isEmpty() ? "" : request.system().getFirst()));
        var tools = new StringBuilder();
        for (ToolSpec t : request.tools()) tools.append(t.name()).append('\0').append(t.description()).append('\0').append(t.parametersSchema()).append('\0');
        out.put(TOOLS, hash(tools.toString()));
        out.put(INSTRUCTIONS, hash(String.join("\0", request.system().subList(Math.min(1, request.system().size()), request.system().size()))));
        List<LlmMessage> messages = request.messages();
        int[] cut = previousShape.flatMap(PromptHashes::parseShape).orElse(new int[] {-1, -1});
        MessageDigest digest = sha256();
        for (int i = 0; i < messages.size(); i++) {
            LlmMessage m = messages.get(i);
            digest.update((m.role() + "\0").getBytes(StandardCharsets.UTF_8));
            List<Content> content = m.content();
            for (int j = 0; j < content.size(); j++) {
                digest.update((content.get(j) + "\0").getBytes(StandardCharsets.UTF_8));
                if (i == cut[0] - 1 && j == cut[1] - 1) out.put(PREFIX, hex(clone(digest)));
            }
            digest.update((byte) 1); // end of message
        }
        out.put(MESSAGES, hex(digest));
        int last = messages.isEmpty() ? 0 : messages.getLast().content().size();
        out.put(SHAPE, messages.size() + ":" + last);
        return out;
    }

    /** The {@code messages} hash of a prefix is only comparable when it ends where the previous request ended. */
    private static MessageDigest clone(MessageDigest digest) {
        try {
            MessageDigest copy = (MessageDigest) digest.clone();
            copy.update((byte) 1);
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The shape of the last request recorded in a session's history. */
    static Optional<String> lastShape(List<MessageWithParts> history) {
        for (MessageWithParts m : history.reversed()) {
            for (Part p : m.parts().reversed()) {
                if (p instanceof Part.StepStart s && s.promptHashes().containsKey(SHAPE)) return Optional.of(s.promptHashes().get(SHAPE));
            }
        }
        return Optional.empty();
    }

    static Optional<int[]> parseShape(String shape) {
        int colon = shape.indexOf(':');
        try {
            return colon < 0 ? Optional.empty()
                    : Optional.of(new int[] {Integer.parseInt(shape.substring(0, colon)), Integer.parseInt(shape.substring(colon + 1))});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String hash(String text) {
        MessageDigest digest = sha256();
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        return hex(digest);
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
