package dev.lathe.tui;

import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.tui.input.Fuzzy;
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

    /**
     * The maker of a model line, by the start of its id's last segment: a provider serving its own models ranks above
     * a reseller of them (issue 42: Enter the first time picked a reseller's model).
     */
    static final Map<String, String> MAKERS = Map.ofEntries(Map.entry("claude", "anthropic"), Map.entry("gpt", "openai"),
            Map.entry("o1", "openai"), Map.entry("o3", "openai"), Map.entry("o4", "openai"), Map.entry("codex", "openai"),
            Map.entry("chatgpt", "openai"), Map.entry("gemini", "google"), Map.entry("gemma", "google"), Map.entry("grok", "xai"),
            Map.entry("mistral", "mistral"), Map.entry("codestral", "mistral"), Map.entry("devstral", "mistral"),
            Map.entry("magistral", "mistral"), Map.entry("ministral", "mistral"), Map.entry("deepseek", "deepseek"),
            Map.entry("kimi", "moonshotai"), Map.entry("qwen", "alibaba"), Map.entry("glm", "zhipuai"));

    /** Whether the provider is the maker of the model (anthropic for claude, openai for gpt, google for gemini…). */
    static boolean firstParty(ModelInfo m) {
        String id = m.model().substring(m.model().lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String head = id.split("[-.:_]", 2)[0];
        String maker = MAKERS.get(head);
        return maker != null && m.provider().equals(maker);
    }

    /** Keyed providers first, then makers serving their own models, then the newest, then the usual providers. */
    static final java.util.Comparator<ModelInfo> RANK = java.util.Comparator.comparing((ModelInfo m) -> !hasKey(m))
            .thenComparing(m -> !firstParty(m))
            .thenComparing(ModelInfo::released, java.util.Comparator.reverseOrder())
            .thenComparing(PROVIDER_RANK)
            .thenComparing(ModelInfo::ref);

    private ModelMenu() {}

    /**
     * The rows a filter keeps, best first: a model id that is the query, or ends with it, or holds it ({@code .} and
     * {@code _} count as {@code -}, so {@code sonnet-4-5} finds {@code claude-sonnet-4.5} too), then the rest that
     * match fuzzily; within each, the menu's order ({@link #RANK}). The row of the folded providers stays while any of
     * their models match, saying how many: a filter that matches only folded models says so.
     */
    static List<Picker.Item<Row>> filter(String query, List<Picker.Item<Row>> rows, List<ModelInfo> folded) {
        String q = normal(query.strip());
        record Tiered(Picker.Item<Row> item, int tier, int index) {}
        var kept = new ArrayList<Tiered>();
        for (int i = 0; i < rows.size(); i++) {
            Picker.Item<Row> item = rows.get(i);
            if (item.value() instanceof Row.MoreProviders) {
                long matching = folded.stream().filter(m -> tier(q, m) < Integer.MAX_VALUE).count();
                if (matching > 0) kept.add(new Tiered(new Picker.Item<>(item.value(), "more providers…",
                        matching + (matching == 1 ? " model" : " models") + " of providers without a key match: enter to show"), Integer.MAX_VALUE - 1, i));
                continue;
            }
            int tier = tier(q, ((Row.Model) item.value()).model());
            if (tier < Integer.MAX_VALUE) kept.add(new Tiered(item, tier, i));
        }
        kept.sort(java.util.Comparator.comparingInt(Tiered::tier).thenComparingInt(Tiered::index));
        return kept.stream().map(Tiered::item).toList();
    }

    private static String normal(String s) { return s.toLowerCase(Locale.ROOT).replaceAll("[._ ]", "-"); }

    /**
     * -1 the whole ref is the query (typed {@code anthropic/claude-sonnet-4-5}: not a reseller's model of that id), 0 the
     * id is the query, 1 ends with it, 2 holds it, 3 the ref holds it, 4 a fuzzy match; MAX_VALUE none.
     */
    private static int tier(String q, ModelInfo m) {
        String id = normal(m.model());
        String ref = normal(m.ref());
        if (ref.equals(q)) return -1;
        if (id.equals(q)) return 0;
        if (id.endsWith(q)) return 1;
        if (id.contains(q)) return 2;
        if (ref.contains(q)) return 3;
        return Fuzzy.score(q, ref + " " + normal(m.name())).isPresent() ? 4 : Integer.MAX_VALUE;
    }

    /** Recent, then keyed providers' models, then the fold; every model when no provider has a key. */
    static List<Picker.Item<Row>> folded(List<ModelInfo> models, List<String> recent) {
        List<ModelInfo> chat = models.stream().filter(ModelInfo::chat).toList();
        var rows = recentRows(chat, recent);
        List<ModelInfo> keyed = chat.stream().filter(ModelMenu::hasKey).filter(m -> !recent.contains(m.ref())).toList();
        if (keyed.isEmpty()) return all(models, recent);
        keyed.stream().sorted(java.util.Comparator.comparing((ModelInfo m) -> !m.sessionDefault()).thenComparing(RANK))
                .forEach(m -> rows.add(row(m, "")));
        long rest = chat.stream().filter(m -> !hasKey(m)).count();
        if (rest > 0) rows.add(new Picker.Item<>(new Row.MoreProviders((int) rest), "more providers…", rest + " models of providers without a key"));
        return rows;
    }

    /** Recent, then every chat model: the unfolded list. */
    static List<Picker.Item<Row>> all(List<ModelInfo> models, List<String> recent) {
        List<ModelInfo> chat = models.stream().filter(ModelInfo::chat).toList();
        var rows = recentRows(chat, recent);
        chat.stream().filter(m -> !recent.contains(m.ref())).sorted(RANK)
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
