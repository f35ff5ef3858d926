package dev.lathe.core.toolcall;

import java.util.Comparator;
import java.util.Set;

/**
 * Masks the secrets the server knows (provider keys, credential variables, MCP server secrets: {@code Secrets}) in text
 * that leaves a tool call (DESIGN §26): each occurrence becomes {@code ***}. Applied where a call's result or error is
 * made ({@link ToolCallPipeline}) and where its live output is published ({@code ToolCallRunner}), so what is stored,
 * sent to the model, shown to clients, exported and audited from it never holds one: a tool that prints {@code env} or
 * reads a file holding a key shows no key.
 */
public final class SecretMask {
    /** Shorter values would mask ordinary words by accident; real credentials are long. */
    public static final int MIN_LENGTH = 8;
    static final String MASK = "***";

    private SecretMask() {}

    /** {@code text} with every secret of {@code secrets} (at least {@link #MIN_LENGTH} characters) replaced by {@code ***}. */
    public static String apply(String text, Set<String> secrets) {
        if (text == null || text.isEmpty() || secrets.isEmpty()) return text;
        String out = text;
        // longest first: a key that contains another is masked whole
        for (String secret : secrets.stream().filter(s -> s.length() >= MIN_LENGTH).sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            if (out.contains(secret)) out = out.replace(secret, MASK);
        }
        return out;
    }
}
