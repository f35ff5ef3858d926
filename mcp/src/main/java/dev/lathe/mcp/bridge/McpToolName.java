package dev.lathe.mcp.bridge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Lathe's name for tool {@code TOOL} of server {@code NAME} (DESIGN §18): {@code NAME_TOOL} with every character
 * outside {@code [A-Za-z0-9_-]} replaced by {@code _}. Providers refuse tool names longer than 64 characters, so a
 * longer name keeps its first 55 characters and ends with {@code _} and 8 hex digits of a hash of the full name: still
 * stable across runs, and two long names that share a prefix stay apart.
 */
public final class McpToolName {
    /** The longest tool name every provider accepts. */
    public static final int MAX_LENGTH = 64;
    private static final int HASH_DIGITS = 8;

    private McpToolName() {}

    public static String of(String server, String tool) {
        String full = (server + "_" + tool).replaceAll("[^A-Za-z0-9_-]", "_");
        if (full.length() <= MAX_LENGTH) return full;
        return full.substring(0, MAX_LENGTH - HASH_DIGITS - 1) + "_" + hash(server + "\u0000" + tool);
    }

    private static String hash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
