package dev.lathe.app;

import dev.lathe.protocol.api.ModelInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code lathe models} as text: a header row, then one row per chat model (of the user's providers unless asked for all) with its limits, prices and whether its
 * provider has a key. Models an agent cannot work with (embeddings, speech, images) are counted, not listed: the JSON
 * form has them.
 */
final class ModelTable {
    private ModelTable() {}

    static void print(List<ModelInfo> models, PrintWriter out) {
        List<ModelInfo> chat = models.stream().filter(ModelInfo::chat).toList();
        int width = Math.max(40, chat.stream().mapToInt(m -> m.ref().length()).max().orElse(0));
        String row = "%-" + width + "s %9s %8s %8s %8s  %s%n";
        out.printf(row, "MODEL", "CONTEXT", "OUTPUT", "$IN/M", "$OUT/M", "KEY");
        for (ModelInfo m : chat) {
            String in = m.price().map(p -> money(p.input())).orElse("?");
            String outPrice = m.price().map(p -> money(p.output())).orElse("?");
            out.printf(row, m.ref(), limit(m.context()), limit(m.output()), in, outPrice, key(m.keySource()) + (m.sessionDefault() ? "  (default)" : ""));
        }
        int hidden = models.size() - chat.size();
        if (hidden > 0) out.println("(" + hidden + " models that cannot call tools or answer in text — embeddings, speech, images — are not listed; --format json has them)");
        if (chat.stream().anyMatch(m -> m.price().isEmpty())) out.println("? = no price per token (a local or unlisted model, a free one, or one your subscription serves)");
    }

    /**
     * The table of the models the user can use now: of providers their config names or that have a key (the
     * environment's, {@code lathe auth}'s, config's), then one line saying how many more {@code --all} lists. With none
     * of those, stderr says how to get one.
     */
    static void printYours(List<ModelInfo> models, PrintWriter out, PrintWriter err) {
        List<ModelInfo> yours = models.stream().filter(ModelTable::yours).toList();
        long others = models.stream().filter(m -> m.chat() && !yours(m)).count();
        if (yours.stream().noneMatch(ModelInfo::chat)) {
            err.println("lathe: no provider is configured or has a key yet: lathe auth login PROVIDER sets one; lathe models --all lists "
                    + String.format(Locale.ROOT, "%,d", others) + " models of every provider");
            return;
        }
        print(yours, out);
        if (others > 0) out.println("(" + String.format(Locale.ROOT, "%,d", others) + " models of providers you have no key for: lathe models --all, or lathe models PROVIDER)");
    }

    /** A model of a provider the user configured or has a key for, or the session default. */
    private static boolean yours(ModelInfo m) {
        return m.configured() || m.sessionDefault() || switch (m.keySource()) {
            case "env", "auth", "config" -> true;
            default -> false;
        };
    }

    private static String limit(int tokens) { return tokens > 0 ? Integer.toString(tokens) : "?"; }

    private static String money(double usd) { return String.format(Locale.ROOT, "%.2f", usd); }

    /** The provider's key status, in the words of {@code ProviderInfo.keySource}. */
    private static String key(String source) {
        return switch (source) {
            case "env" -> "key: environment";
            case "auth" -> "key: lathe auth";
            case "config" -> "key: config";
            case "not-needed" -> "local, no key needed";
            case "none" -> "no key";
            default -> source;
        };
    }
}
