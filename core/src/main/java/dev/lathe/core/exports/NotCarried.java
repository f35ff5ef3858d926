package dev.lathe.core.exports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What an export could not carry into the other harness's format, counted by kind, each said once as one line. */
final class NotCarried {
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    void add(String what) {
        counts.merge(what, 1, Integer::sum);
    }

    List<String> lines() {
        List<String> out = new ArrayList<>();
        counts.forEach((what, n) -> out.add(n == 1 ? what : what + " (" + n + " times)"));
        return out;
    }
}
