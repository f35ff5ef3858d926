package dev.lathe.llm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What a provider accepts as a tool-call id, and a deterministic rewrite of ids it would reject. History may hold ids
 * minted by another provider (after a failover or a model switch): Anthropic and Bedrock allow only
 * {@code [A-Za-z0-9_-]{1,64}}, OpenAI at most 40 characters, Mistral exactly nine letters or digits. The rewrite
 * depends only on the id, so a call and its result stay paired and every step sends the same bytes (cache stable).
 */
public final class ToolCallIds {
    private static final Pattern MISTRAL = Pattern.compile("[A-Za-z0-9]{9}");

    private ToolCallIds() {}

    public static UnaryOperator<String> forProvider(Provider provider) {
        String host = provider.baseUrl().getHost() == null ? "" : provider.baseUrl().getHost().toLowerCase(Locale.ROOT);
        if (provider.id().equals("mistral") || host.endsWith("mistral.ai")) return ToolCallIds::mistral;
        return switch (provider.protocol()) {
            case "openai-chat", "openai-responses" -> id -> limited(id, 40);
            default -> id -> limited(id, 64);
        };
    }

    static String limited(String id, int max) {
        if (!id.isEmpty() && id.length() <= max && safe(id)) return id;
        String cleaned = id.replaceAll("[^A-Za-z0-9_-]", "_");
        if (!cleaned.isEmpty() && cleaned.length() <= max) return cleaned;
        return "call_" + digest(id, Math.min(max - 5, 24));
    }

    /**
     * Letters, digits, {@code _} and {@code -} only: checked for every call and result of the history at every step, so a
     * loop rather than a regular expression (the match was 2 % of a busy server's CPU in a profile, decision 117).
     */
    private static boolean safe(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) return false;
        }
        return true;
    }

    static String mistral(String id) {
        if (MISTRAL.matcher(id).matches()) return id;
        return digest(id, 9);
    }

    /** Hex letters and digits from a hash of the id: stable, and collisions within one conversation are negligible. */
    private static String digest(String id, int length) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
