package dev.lathe.testkit;

import java.util.ArrayList;
import java.util.List;

/** Splits streamed text the way real models do: a few characters to a few words per delta. */
final class Chunks {
    private Chunks() {}

    static List<String> of(String text, int size) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += size) out.add(text.substring(i, Math.min(text.length(), i + size)));
        return out;
    }
}
