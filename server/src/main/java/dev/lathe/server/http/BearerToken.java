package dev.lathe.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** Access tokens: creation, and the constant-time check of an {@code Authorization} header. */
public final class BearerToken {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SCHEME = "Bearer ";

    private BearerToken() {}

    /** 32 random bytes from {@link SecureRandom}, URL-safe base64 without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** True when {@code header} is {@code Bearer <expected>}; the token comparison takes the same time for any mismatch. */
    static boolean matches(String header, String expected) {
        if (header.length() < SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) return false;
        byte[] given = header.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8));
    }
}
