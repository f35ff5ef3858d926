package dev.lathe.core.store;

import dev.lathe.protocol.wire.WireJson;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded rows by their exact JSON text, least recently used first out. A running turn reads its whole session before
 * every step, and all but the newest rows are the same text as at the last step; decoding them again with Jackson was
 * a third of the turn thread's time between two model requests. Keyed by the text itself, a hit can only ever be the
 * value that text decodes to (messages and parts are immutable records).
 */
final class DecodedRows<T> {
    private final Class<T> type;
    private final long maxChars;
    private final LinkedHashMap<String, T> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long chars;

    DecodedRows(Class<T> type, long maxChars) {
        this.type = type;
        this.maxChars = maxChars;
    }

    T decode(String json) {
        synchronized (this) {
            T hit = entries.get(json);
            if (hit != null) return hit;
        }
        T value = WireJson.read(json, type);
        // one very large row (a long tool output) would push out everything else for a single hit
        if (json.length() > maxChars / 16) return value;
        synchronized (this) {
            if (entries.putIfAbsent(json, value) == null) {
                chars += json.length();
                for (Iterator<Map.Entry<String, T>> it = entries.entrySet().iterator(); chars > maxChars && it.hasNext(); ) {
                    chars -= it.next().getKey().length();
                    it.remove();
                }
            }
        }
        return value;
    }
}
