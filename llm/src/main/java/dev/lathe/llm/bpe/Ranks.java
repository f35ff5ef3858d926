package dev.lathe.llm.bpe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A byte-pair vocabulary: each token's bytes and its rank, looked up by a range of bytes. Held in three flat arrays
 * (the tokens' bytes end to end, where each starts, an open-addressing table of ranks) — about 5 MB for o200k's
 * 200,000 tokens, where a map of boxed keys and values held ~35 MB of live heap in every server (decision 117).
 */
final class Ranks {
    private final byte[] bytes;
    /** Token {@code r} is {@code bytes[starts[r], starts[r + 1])}. */
    private final int[] starts;
    /** Rank + 1 of the token hashed to each slot (linear probing), 0 for an empty slot. */
    private final int[] slots;

    private Ranks(byte[] bytes, int[] starts) {
        this.bytes = bytes;
        this.starts = starts;
        int tokens = starts.length - 1;
        this.slots = new int[Integer.highestOneBit(Math.max(tokens, 1) * 2) * 2];
        int mask = slots.length - 1;
        for (int rank = 0; rank < tokens; rank++) {
            int slot = hash(bytes, starts[rank], starts[rank + 1]) & mask;
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = rank + 1;
        }
    }

    /**
     * Reads a {@code .tiktoken} file: one token per line, its bytes in Base64, a space, its rank; ranks dense from 0 in
     * the file's order (the format of OpenAI's published vocabularies).
     */
    static Ranks read(InputStream in) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16);
        byte[] bytes = new byte[1 << 20];
        int[] starts = new int[1 << 16];
        int used = 0;
        int tokens = 0;
        Base64.Decoder base64 = Base64.getDecoder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) continue;
            int space = line.indexOf(' ');
            if (space < 0 || Integer.parseInt(line, space + 1, line.length(), 10) != tokens) {
                throw new IOException("not a dense rank file at line " + (tokens + 1));
            }
            byte[] token = base64.decode(line.substring(0, space));
            if (used + token.length > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + token.length));
            if (tokens + 2 > starts.length) starts = Arrays.copyOf(starts, starts.length * 2);
            starts[tokens++] = used;
            System.arraycopy(token, 0, bytes, used, token.length);
            used += token.length;
        }
        starts[tokens] = used;
        return new Ranks(Arrays.copyOf(bytes, used), Arrays.copyOf(starts, tokens + 1));
    }

    int size() {
        return starts.length - 1;
    }

    /** The rank of the token whose bytes are {@code text[from, to)}, or -1 when no token has them. */
    int rank(byte[] text, int from, int to) {
        int mask = slots.length - 1;
        int length = to - from;
        for (int slot = hash(text, from, to) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            int rank = slots[slot] - 1;
            int start = starts[rank];
            if (starts[rank + 1] - start == length && Arrays.equals(bytes, start, start + length, text, from, to)) return rank;
        }
        return -1;
    }

    /** FNV-1a, then the high bits folded into the low ones the mask keeps. */
    private static int hash(byte[] b, int from, int to) {
        int h = 0x811c9dc5;
        for (int i = from; i < to; i++) h = (h ^ (b[i] & 0xff)) * 0x01000193;
        return h ^ (h >>> 16);
    }
}
