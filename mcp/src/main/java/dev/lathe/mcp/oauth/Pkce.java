package dev.lathe.mcp.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** A PKCE pair (RFC 7636) with the S256 method: a fresh random verifier and its SHA-256 challenge. */
public record Pkce(String verifier, String challenge) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public static Pkce generate() {
        String verifier = randomUrlSafe(32); // 43 characters, the minimum length RFC 7636 allows
        return new Pkce(verifier, s256(verifier));
    }

    /** BASE64URL(SHA-256(ASCII(verifier))) without padding. */
    public static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@code bytes} random bytes, base64url without padding: a {@code state}, a verifier. */
    public static String randomUrlSafe(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public String toString() {
        return "Pkce[S256]"; // the verifier is a secret until the code is exchanged
    }
}
