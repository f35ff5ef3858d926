package dev.lathe.protocol.api;

/**
 * One changed file of a session's diff. {@code status} is {@code added | modified | deleted}; {@code patch} is a unified
 * diff of that file, empty for a binary file ({@code binary}: named with no counts, never dumped), and cut at a line
 * end after {@link #MAX_PATCH_CHARS} for a huge one ({@code truncated}: the counts are still whole).
 */
public record FileDiff(String path, String status, int additions, int deletions, String patch, boolean binary, boolean truncated) {
    /** The most of one file's patch a diff carries. */
    public static final int MAX_PATCH_CHARS = 256 * 1024;

    /** A text file's change, its patch cut at {@link #MAX_PATCH_CHARS}. */
    public static FileDiff text(String path, String status, int additions, int deletions, String patch) {
        if (patch.length() <= MAX_PATCH_CHARS) return new FileDiff(path, status, additions, deletions, patch, false, false);
        int cut = patch.lastIndexOf('\n', MAX_PATCH_CHARS);
        return new FileDiff(path, status, additions, deletions, patch.substring(0, cut > 0 ? cut + 1 : MAX_PATCH_CHARS), false, true);
    }

    /** A binary file's change: named, with neither counts nor patch. */
    public static FileDiff binary(String path, String status) {
        return new FileDiff(path, status, 0, 0, "", true, false);
    }
}
