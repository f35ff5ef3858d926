package dev.lathe.tui;

import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.tui.view.Footer;
import dev.lathe.tui.view.Picker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The rows of the {@code /model} picker: the recently chosen models, then the models of providers that have a key (or
 * need none), then one row that unfolds every other provider's models. Only chat models are offered (no embedding,
 * speech or image model); each row says whether its provider has a key and what it costs.
 */
final class ModelMenu {
    /** What a row chooses: a model, or the unfolding of the providers without a key. */
    sealed interface Row {
        record Model(ModelInfo model) implements Row {}

        record MoreProviders(int models) implements Row {}
    }

    /**
     * The providers listed first among equals: the order in which the server tries providers for a default model
     * ({@code core.model.DefaultModel.ORDER}, which this module may not import), so the providers a first key is most
     * likely for are at the top of an unfolded list.
     */
    static final List<String> PROVIDER_ORDER = List.of("anthropic", "openai", "google", "openrouter", "xai", "mistral", "deepseek", "groq");

    private static final java.util.Comparator<ModelInfo> PROVIDER_RANK = java.util.Comparator.comparingInt(m -> {
        int i = PROVIDER_ORDER.indexOf(m.provider());
        return i < 0 ? PROVIDER_ORDER.size() : i;
    });

    private ModelMenu() {}

    /** Recent, then keyed providers' models, then the fold; every model when no provider has a key. */
    static List<Picker.Item<Row>> folded(List<ModelInfo> models, List<String> recent) {
        List<ModelInfo> chat = models.stream().filter(ModelInfo::chat).toList();
        var rows = recentRows(chat, recent);
        List<ModelInfo> keyed = chat.stream().filter(ModelMenu::hasKey).filter(m -> !recent.contains(m.ref())).toList();
        if (keyed.isEmpty()) return all(models, recent);
        keyed.stream().sorted(java.util.Comparator.comparing((ModelInfo m) -> !m.sessionDefault()).thenComparing(PROVIDER_RANK))
                .forEach(m -> rows.add(row(m, "")));
        long rest = chat.stream().filter(m -> !hasKey(m)).count();
        if (rest > 0) rows.add(new Picker.Item<>(new Row.MoreProviders((int) rest), "more providers…", rest + " models of providers without a key"));
        return rows;
    }

    /** Recent, then every chat model: the unfolded list. */
    static List<Picker.Item<Row>> all(List<ModelInfo> models, List<String> recent) {
        List<ModelInfo> chat = models.stream().filter(ModelInfo::chat).toList();
        var rows = recentRows(chat, recent);
        chat.stream().filter(m -> !recent.contains(m.ref())).sorted(java.util.Comparator.comparing((ModelInfo m) -> !hasKey(m)).thenComparing(PROVIDER_RANK))
                .forEach(m -> rows.add(row(m, "")));
        return rows;
    }

    /**
     * Whether a model of this provider can be used as it is: a key is found, or it is a server on this machine that the
     * user configured (the catalog's local providers are listed whether or not they run, so they stay folded).
     */
    static boolean hasKey(ModelInfo m) {
        return switch (m.keySource()) {
            case "env", "auth", "config" -> true;
            case "not-needed" -> m.configured();
            default -> false;
        };
    }

    /** The warning shown at once when a model without a key is chosen; empty when it has one (or the server did not say). */
    static Optional<String> keyWarning(String ref, List<ModelInfo> models) {
        Optional<ModelInfo> known = models.stream().filter(m -> m.ref().equals(ref)).findFirst();
        if (known.isEmpty() || !known.get().keySource().equals("none")) return Optional.empty();
        String provider = known.get().provider();
        return Optional.of("⚠ " + provider + " has no key: set its API key variable (" + provider.toUpperCase(Locale.ROOT).replace('-', '_')
                + "_API_KEY or as `lathe models " + provider + "` says) or run `lathe auth login " + provider + "`, then send again");
    }

    private static ArrayList<Picker.Item<Row>> recentRows(List<ModelInfo> chat, List<String> recent) {
        Map<String, ModelInfo> byRef = new LinkedHashMap<>();
        chat.forEach(m -> byRef.put(m.ref(), m));
        var rows = new ArrayList<Picker.Item<Row>>();
        for (String ref : recent) {
            ModelInfo m = byRef.getOrDefault(ref, new ModelInfo(ref.substring(0, ref.indexOf('/')), ref.substring(ref.indexOf('/') + 1), 0, 0));
            rows.add(row(m, "recent · "));
        }
        return rows;
    }

    private static Picker.Item<Row> row(ModelInfo m, String prefix) {
        var detail = new StringBuilder(prefix);
        if (m.sessionDefault()) detail.append("default · ");
        detail.append(switch (m.keySource()) {
            case "env" -> "env key";
            case "auth" -> "saved key";
            case "config" -> "config key";
            case "not-needed" -> "local";
            case "none" -> "no key";
            default -> "";
        });
        if (m.context() > 0) detail.append(" · ").append(Footer.tokens(m.context())).append(" ctx");
        // short, so an 80-column picker shows it whole: USD per million input/output tokens
        m.price().ifPresent(p -> detail.append(String.format(Locale.ROOT, " · $%.2f/$%.2f", p.input(), p.output())));
        return new Picker.Item<>(new Row.Model(m), m.ref(), detail.toString());
    }
}
