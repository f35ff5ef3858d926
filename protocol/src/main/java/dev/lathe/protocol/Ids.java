package dev.lathe.protocol;

import java.security.SecureRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Time-ordered ids: 48-bit millisecond time and a 16-bit counter (12 + 4 hex digits, so ids made in the
 * same process sort in creation order), then 10 random base-62 characters against collisions between processes.
 */
final class Ids {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
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
        sb.append(String.format("%012x%04x", millis & 0xFFFF_FFFF_FFFFL, count));
        for (int i = 0; i < 10; i++) sb.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        return sb.toString();
    }
}
