package dev.lathe.run.console;

import dev.lathe.protocol.api.ModelInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A warning for a {@code --model PROVIDER/ID} whose provider Lathe knows models for, none of them {@code ID} (issue 42:
 * {@code fake/fake-modl} ran without a word). A provider may serve ids its list lacks (a model newer than the catalog,
 * a fine-tune), so the model is still sent as given; the warning names the closest known ids, as "did you mean".
 */
final class ModelCheck {
    /** At most this many suggestions. */
    private static final int SUGGESTIONS = 3;

    private ModelCheck() {}

    /** The warning for {@code ref}, given the models Lathe knows of a provider ({@code modelsOf}, empty for none). */
    static Optional<String> warning(String ref, Function<String, List<ModelInfo>> modelsOf) {
        int slash = ref.indexOf('/');
        if (slash <= 0 || slash == ref.length() - 1) return Optional.empty();
        String provider = ref.substring(0, slash);
        String id = ref.substring(slash + 1);
        List<ModelInfo> known = modelsOf.apply(provider);
        if (known.isEmpty() || known.stream().anyMatch(m -> m.model().equals(id))) return Optional.empty();
        int tolerance = Math.max(2, id.length() / 3);
        List<String> close = known.stream().map(ModelInfo::model).distinct()
                .map(m -> new Object() { final String model = m; final int distance = distance(id, m); })
                .filter(c -> c.distance <= tolerance || c.model.contains(id) || id.contains(c.model))
                .sorted(Comparator.comparingInt(c -> c.distance)).limit(SUGGESTIONS).map(c -> provider + "/" + c.model).toList();
        return Optional.of(ref + " is not a model Lathe knows for " + provider
                + (close.isEmpty() ? " (lathe models " + provider + " lists them)." : "; did you mean " + String.join(", ", close) + "?")
                + " Sent as given.");
    }

    /** Levenshtein distance: the edits between a typo and what was meant. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int swap = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + swap);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
