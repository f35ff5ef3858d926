package dev.lathe.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The browsers logged in to this server. A login is two secrets: an HttpOnly cookie, and a key the page keeps in its
 * own origin's storage and sends as {@code X-Lathe-Key} (or {@code ?key=} on {@code /events}). Cookies are not scoped
 * by port, so every other server on this host name receives ours; the key never leaves our origin, so a stolen cookie
 * alone is worth nothing (review of issue 30).
 *
 * <p>Only a hash of each pair is kept, with when it was last used; logins unused for {@link #LIFETIME} expire, and
 * past {@link #MAX} the least recently used goes. They are saved through {@link WebLoginStore} so a restart keeps them.
 */
final class WebLogins {
    static final Duration LIFETIME = Duration.ofDays(30);
    static final int MAX = 64;
    /** A login's last use is written down at most this often (it only decides expiry and eviction). */
    private static final Duration TOUCH_EVERY = Duration.ofHours(1);

    private final Clock clock;
    private final WebLoginStore store;
    private final ReentrantLock lock = new ReentrantLock();
    /** hash of cookie and key → last use (epoch millis) and user, least recently used first. */
    private final LinkedHashMap<String, WebLoginStore.Saved> used;

    WebLogins(Clock clock, WebLoginStore store) {
        this.clock = clock;
        this.store = store;
        this.used = new LinkedHashMap<>(16, 0.75f, true);
        store.load().entrySet().stream().sorted(Map.Entry.comparingByValue(java.util.Comparator.comparingLong(WebLoginStore.Saved::lastUse)))
                .forEach(e -> used.put(e.getKey(), e.getValue()));
        forgetExpired();
    }

    /**
     * The user of the live login {@code cookie} and {@code key} are ({@code ""}: the local admin's), or empty when they
     * are none; counts as a use.
     */
    Optional<String> accepts(String cookie, String key) {
        String hash = hash(cookie, key);
        long now = clock.millis();
        lock.lock();
        try {
            // constant-time per candidate, so timing does not tell how much of a guess was right
            String found = null;
            for (var login : used.entrySet()) {
                if (equal(login.getKey(), hash) & login.getValue().lastUse() >= now - LIFETIME.toMillis()) found = login.getKey();
            }
            if (found == null) return Optional.empty();
            var last = used.get(found);  // access order: now the most recently used
            if (now - last.lastUse() >= TOUCH_EVERY.toMillis()) {
                used.put(found, new WebLoginStore.Saved(now, last.user()));
                store.save(used);
            }
            return Optional.of(last.user());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a login of {@code user} ({@code ""}: the local admin), replacing {@code previous} (the same browser logging in
     * again) so it does not take a second place.
     */
    void add(String cookie, String key, String user, Optional<String> previousCookie, Optional<String> previousKey) {
        lock.lock();
        try {
            if (previousCookie.isPresent() && previousKey.isPresent()) used.remove(hash(previousCookie.get(), previousKey.get()));
            used.put(hash(cookie, key), new WebLoginStore.Saved(clock.millis(), user));
            forgetExpired();
            var oldest = used.keySet().iterator();
            while (used.size() > MAX) {
                oldest.next();
                oldest.remove();
            }
            store.save(used);
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return used.size();
        } finally {
            lock.unlock();
        }
    }

    private void forgetExpired() {
        long oldest = clock.millis() - LIFETIME.toMillis();
        used.values().removeIf(last -> last.lastUse() < oldest);
    }

    static String hash(String cookie, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((cookie + "\n" + key).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
