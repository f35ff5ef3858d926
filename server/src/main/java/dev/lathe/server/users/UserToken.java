package dev.lathe.server.users;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An account's token and how it is kept (decision 230): {@code lathe_u_<id>_<secret>}, where the id (8 random bytes,
 * hex) finds the account's row and the secret (32 random bytes, URL-safe base64) proves it. The database keeps the id,
 * a random 16-byte salt and HMAC-SHA-256(salt, secret), never the secret: 256 random bits cannot be guessed from the
 * hash however fast it is, so a slow password hash would only cost every request CPU.
 */
public final class UserToken {
    static final String PREFIX = "lathe_u_";
    private static final int ID_HEX = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private UserToken() {}

    /** A new token (shown once) and what is stored of it. */
    public record Minted(String token, String id, String salt, String hash) {
        @Override public String toString() { return "Minted[id=" + id + "]"; }
    }

    /** A presented token split into its lookup id and its secret. */
    record Presented(String id, String secret) {
        @Override public String toString() { return "Presented[id=" + id + "]"; }
    }

    public static Minted mint() {
        String id = HexFormat.of().formatHex(random(ID_HEX / 2));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
        String salt = HexFormat.of().formatHex(random(16));
        return new Minted(PREFIX + id + "_" + secret, id, salt, hash(salt, secret));
    }

    /** The parts of {@code token}, or empty when it is not in this form (the node's own token is not). */
    static Optional<Presented> parse(String token) {
        if (!token.startsWith(PREFIX) || token.length() < PREFIX.length() + ID_HEX + 2) return Optional.empty();
        String id = token.substring(PREFIX.length(), PREFIX.length() + ID_HEX);
        if (!id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return Optional.empty();
        if (token.charAt(PREFIX.length() + ID_HEX) != '_') return Optional.empty();
        return Optional.of(new Presented(id, token.substring(PREFIX.length() + ID_HEX + 1)));
    }

    /** Whether {@code secret} is the one stored as {@code salt} and {@code hash}; takes the same time for any mismatch. */
    static boolean matches(String secret, String salt, String hash) {
        return MessageDigest.isEqual(hash(salt, secret).getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII));
    }

    static String hash(String saltHex, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(saltHex), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot hash a token: " + e.getMessage(), e);
        }
    }

    private static byte[] random(int bytes) {
        byte[] out = new byte[bytes];
        RANDOM.nextBytes(out);
        return out;
    }
}
