package dev.lathe.protocol;

import java.security.SecureRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Time-ordered ids: 48-bit millisecond time and a 16-bit counter (12 + 4 hex digits, so ids made in the
 * same process sort in creation order), then 10 random base-62 characters against collisions between processes.
 * Every part a step writes gets one, so the digits are written by hand and the ten characters come from one 64-bit
 * draw (two draws of the generator instead of ten; {@code String.format} and ten draws were 2.6 % of a server's
 * samples per read step, decision 535).
 */
final class Ids {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int RANDOM_CHARS = 10;
    /** 62^10, the count of the ten random characters' values. */
    private static final long SPAN = pow62(RANDOM_CHARS);
    /** The largest multiple of {@link #SPAN} a non-negative long holds: draws at or above it are drawn again (no bias). */
    private static final long LIMIT = Long.MAX_VALUE / SPAN * SPAN;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static long lastMillis;
    private static int counter;

    private Ids() {}

    static String next(String prefix) {
        long millis;
        int count;
        LOCK.lock();
        try {
            millis = Math.max(System.currentTimeMillis(), lastMillis);
            if (millis == lastMillis) {
                counter++;
                if (counter > 0xFFFF) { millis++; counter = 0; }
            } else {
                counter = 0;
            }
            lastMillis = millis;
            count = counter;
        } finally {
            LOCK.unlock();
        }
        var sb = new StringBuilder(prefix.length() + 26).append(prefix);
        hex(sb, millis & 0xFFFF_FFFF_FFFFL, 12);
        hex(sb, count, 4);
        long r;
        do {
            r = RANDOM.nextLong() >>> 1;
        } while (r >= LIMIT);
        r %= SPAN;
        for (int i = 0; i < RANDOM_CHARS; i++, r /= BASE62.length) sb.append(BASE62[(int) (r % BASE62.length)]);
        return sb.toString();
    }

    /** The {@code digits} low hex digits of {@code value}, zero-padded, as {@code %0<digits>x} writes them. */
    private static void hex(StringBuilder sb, long value, int digits) {
        for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) sb.append(HEX[(int) (value >>> shift) & 0xF]);
    }

    private static long pow62(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) p *= BASE62.length;
        return p;
    }
}
