package dev.lathe.core.session;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Short hashes of the blocks of one request in the cache layout of DESIGN §7 — {@code system} (block A),
 * {@code tools}, {@code instructions} (block B) and {@code messages} — recorded on each step so a cache report can
 * say which block changed between two requests. Hashes cover the protocol-neutral request, not the wire bytes.
 */
final class PromptHashes {
    private PromptHashes() {}

    static Map<String, String> of(LlmRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("system", hash(request.system().isEmpty() ? "" : request.system().getFirst()));
        var tools = new StringBuilder();
        for (ToolSpec t : request.tools()) tools.append(t.name()).append('\0').append(t.description()).append('\0').append(t.parametersSchema()).append('\0');
        out.put("tools", hash(tools.toString()));
        out.put("instructions", hash(String.join("\0", request.system().subList(Math.min(1, request.system().size()), request.system().size()))));
        var messages = new StringBuilder();
        for (LlmMessage m : request.messages()) {
            messages.append(m.role()).append('\0');
            for (Content c : m.content()) messages.append(c).append('\0');
        }
        out.put("messages", hash(messages.toString()));
        return out;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
