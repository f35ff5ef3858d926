package dev.lathe.core.context;

import java.util.HexFormat;

/**
 * {@link BlockSum}'s checksum (CRC-32C and CRC-32 of the same bytes, the same values), computed here so that its state
 * is a value: the sum of a request's messages so far is kept at each message's end and the next step's sum goes on
 * from where its unchanged messages end (issue 55), where the JDK's checksums can only start from nothing. Fed only
 * short fields and the sums of long ones ({@link TextSums}), so a table per byte costs little.
 */
final class RunningSum {
    private static final int[] CASTAGNOLI = table(0x82F63B78);
    private static final int[] IEEE = table(0xEDB88320);

    private int castagnoli = ~0;
    private int ieee = ~0;

    RunningSum() {}

    /** A sum that goes on from {@code state} ({@link #state}). */
    static RunningSum from(long state) {
        var sum = new RunningSum();
        sum.castagnoli = (int) (state >>> 32);
        sum.ieee = (int) state;
        return sum;
    }

    /** Where the sum is: what {@link #from} goes on from. */
    long state() {
        return (long) castagnoli << 32 | ieee & 0xFFFFFFFFL;
    }

    void update(byte[] bytes) {
        int c = castagnoli;
        int e = ieee;
        for (byte b : bytes) {
            c = CASTAGNOLI[(c ^ b) & 0xFF] ^ c >>> 8;
            e = IEEE[(e ^ b) & 0xFF] ^ e >>> 8;
        }
        castagnoli = c;
        ieee = e;
    }

    void update(int b) {
        castagnoli = CASTAGNOLI[(castagnoli ^ b) & 0xFF] ^ castagnoli >>> 8;
        ieee = IEEE[(ieee ^ b) & 0xFF] ^ ieee >>> 8;
    }

    /** 16 hex digits, as {@link BlockSum#hex}. */
    String hex() {
        return hex(state());
    }

    static String hex(long state) {
        long c = ~(int) (state >>> 32) & 0xFFFFFFFFL;
        long e = ~(int) state & 0xFFFFFFFFL;
        return HexFormat.of().toHexDigits(c << 32 | e);
    }

    private static int[] table(int polynomial) {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = i;
            for (int k = 0; k < 8; k++) r = (r & 1) != 0 ? r >>> 1 ^ polynomial : r >>> 1;
            table[i] = r;
        }
        return table;
    }
}
