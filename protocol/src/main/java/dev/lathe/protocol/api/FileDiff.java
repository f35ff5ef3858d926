package dev.lathe.protocol.api;

/**
 * One file the session changed, from before its first change to now. {@code status} is {@code added | modified |
 * deleted}; {@code patch} is a unified diff of that file (empty for binary files).
 */
public record FileDiff(String path, String status, int additions, int deletions, String patch) {}
