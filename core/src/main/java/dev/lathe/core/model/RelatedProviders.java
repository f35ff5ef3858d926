package dev.lathe.core.model;

import dev.lathe.tools.builtin.edit.Similarity;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The provider ids a mistyped or guessed provider name most likely meant, for "did you mean": a near spelling
 * ({@code antropic} → {@code anthropic}), a name one of whose dash-separated words it is ({@code bedrock} →
 * {@code amazon-bedrock}), a name it begins ({@code openr} → {@code openrouter}), or the provider of a model family
 * people type as a provider ({@code claude} → {@code anthropic}). Short fragments match nothing loosely: {@code ai} or
 * {@code x} would otherwise name half the catalog.
 */
final class RelatedProviders {
    /** At most this many names: a suggestion, not a listing ({@code lathe models} lists). */
    static final int LIMIT = 4;

    /** Model families typed where a provider belongs, and the provider that serves them first-hand. */
    private static final Map<String, String> FAMILIES = Map.of("claude", "anthropic", "gpt", "openai", "gemini", "google",
            "grok", "xai", "bedrock", "amazon-bedrock", "vertex", "google-vertex", "qwen", "alibaba");

    private RelatedProviders() {}

    /** The ids among {@code known} related to {@code typed}, closest first. */
    static List<String> of(String typed, Collection<String> known) {
        String t = typed.toLowerCase(Locale.ROOT);
        Optional<String> family = Optional.ofNullable(FAMILIES.get(t)).filter(known::contains);
        Set<String> ids = Set.copyOf(known);
        return Stream.concat(family.stream(), ids.stream()
                        .filter(id -> family.map(f -> !f.equals(id)).orElse(true))
                        .filter(id -> related(t, id.toLowerCase(Locale.ROOT)))
                        .sorted(Comparator.comparingInt((String id) -> distance(t, id.toLowerCase(Locale.ROOT))).thenComparing(id -> id)))
                .limit(LIMIT).toList();
    }

    private static boolean related(String typed, String id) {
        if (typed.length() < 3) return false;
        int allowed = typed.length() <= 5 ? 1 : 2;
        if (distance(typed, id) <= allowed) return true;
        if (List.of(id.split("[-_.]")).contains(typed)) return true;
        if (List.of(typed.split("[-_.]")).contains(id) && id.length() >= 3) return true;
        return typed.length() >= 4 && id.startsWith(typed);
    }

    /** Levenshtein distance: edits (insert, delete, replace) from {@code a} to {@code b}. */
    static int distance(String a, String b) {
        return Similarity.distance(a, b);
    }
}
