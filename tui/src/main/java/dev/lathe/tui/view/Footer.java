package dev.lathe.tui.view;

import dev.lathe.protocol.session.Usage;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * The line under the editor: agent, model and (for a session in a worktree) its branch on the left; the MCP servers' state ({@link McpSummary}), context used of
 * the limit, the session's cost, the tightest of the provider's rate-limit windows ({@link QuotaMeter}) and the cache hit ratio on
 * the right. On a narrow terminal the right-hand figures drop
 * out from the least important: a server that is down is the most important figure (it comes first and goes last), a
 * healthy {@code mcp 4/4} the least.
 *
 * @param contextUsed tokens of the last request (input, cache, output), 0 before the first
 * @param contextLimit the model's context window, 0 when unknown
 * @param cost micro-dollars
 */
public record Footer(String agent, String model, long contextUsed, int contextLimit, long cost, Usage usage, String hint, McpSummary mcp,
        Optional<String> branch, Optional<String> quota) {

    /** A footer without the provider's rate-limit windows (none reported yet). */
    public Footer(String agent, String model, long contextUsed, int contextLimit, long cost, Usage usage, String hint, McpSummary mcp,
            Optional<String> branch) {
        this(agent, model, contextUsed, contextLimit, cost, usage, hint, mcp, branch, Optional.empty());
    }

    /** A footer for a folder without MCP servers. */
    public Footer(String agent, String model, long contextUsed, int contextLimit, long cost, Usage usage, String hint) {
        this(agent, model, contextUsed, contextLimit, cost, usage, hint, McpSummary.NONE);
    }

    /** A footer for a session in no worktree. */
    public Footer(String agent, String model, long contextUsed, int contextLimit, long cost, Usage usage, String hint, McpSummary mcp) {
        this(agent, model, contextUsed, contextLimit, cost, usage, hint, mcp, Optional.empty());
    }

    public AttributedString render(Theme theme, int width) {
        var left = new AttributedStringBuilder()
                .styled(theme.style(Role.ACCENT), agent)
                .styled(theme.style(Role.FOOTER), " · ")
                .styled(theme.style(Role.FOOTER), model);
        // a session in a worktree works on its own branch, not the one the user's checkout is on: the footer says which
        branch.ifPresent(b -> left.styled(theme.style(Role.FOOTER), " · ").styled(theme.style(Role.ACCENT), "⎇ " + b));
        if (!hint.isEmpty()) left.styled(theme.style(Role.FOOTER), "  " + hint);
        List<AttributedString> right = new ArrayList<>();
        Optional<AttributedString> servers = mcp.render(theme);
        boolean serverDown = !mcp.troubled().isEmpty();
        if (serverDown) right.add(servers.get());
        right.add(theme.paint(Role.FOOTER, context()));
        right.add(theme.paint(Role.FOOTER, cost(cost, usage)));
        quota.ifPresent(q -> right.add(theme.paint(Role.FOOTER, q)));
        cacheRatio(usage).ifPresent(r -> right.add(theme.paint(Role.FOOTER, "cache " + r + "%")));
        if (!serverDown) servers.ifPresent(right::add);
        while (!right.isEmpty()) {
            var r = new AttributedStringBuilder();
            for (int i = 0; i < right.size(); i++) {
                if (i > 0) r.styled(theme.style(Role.FOOTER), " · ");
                r.append(right.get(i));
            }
            int gap = width - left.columnLength() - r.columnLength();
            if (gap >= 2) {
                return new AttributedStringBuilder().append(left).append(" ".repeat(gap)).append(r).toAttributedString();
            }
            right.removeLast();
        }
        return Wrap.truncate(left.toAttributedString(), width);
    }

    private String context() {
        if (contextLimit <= 0) return "ctx " + tokens(contextUsed);
        long percent = Math.round(100.0 * contextUsed / contextLimit);
        return "ctx " + tokens(contextUsed) + "/" + tokens(contextLimit) + " " + percent + "%";
    }

    /** Share of prompt tokens the provider served from its cache; empty before any request. */
    public static java.util.OptionalLong cacheRatio(Usage u) {
        long prompt = u.input() + u.cacheRead() + u.cacheWrite();
        return prompt == 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Math.round(100.0 * u.cacheRead() / prompt));
    }

    public static String tokens(long n) {
        if (n < 1000) return Long.toString(n);
        if (n < 100_000) return String.format(Locale.ROOT, "%.1fk", n / 1000.0).replace(".0k", "k");
        if (n < 1_000_000) return (n / 1000) + "k";
        return String.format(Locale.ROOT, "%.1fM", n / 1_000_000.0).replace(".0M", "M");
    }

    /** What the cost shows for a model whose price Lathe does not know: its tokens were counted, its cost was not. */
    public static final String PRICE_UNKNOWN = "price unknown";

    /** What the cost shows for a priced model's tokens that came with {@code lathe import}: another harness billed them. */
    public static final String NOT_BILLED = "imported (not billed by Lathe)";

    /**
     * The cost of {@code usage}: in dollars, or {@link #PRICE_UNKNOWN} when tokens were used and nothing was charged —
     * no catalog or config price for the model, rather than a free answer.
     */
    public static String cost(long micros, Usage usage) {
        return micros == 0 && usage.total() > 0 ? PRICE_UNKNOWN : dollars(micros);
    }

    /** As {@link #cost(long, Usage)}, given the tokens used ({@link #PRICE_UNKNOWN} rather than "$0.0000", issue 71). */
    public static String cost(long micros, long tokens) {
        return micros == 0 && tokens > 0 ? PRICE_UNKNOWN : dollars(micros);
    }

    /** {@code n} and the noun, singular for one: "1 response", "2 responses". */
    public static String count(long n, String one, String many) { return n + " " + (n == 1 ? one : many); }

    /** "$0.0123" below a dollar, "$12.34" from one: the one rule of every client (the web UI's board, `lathe stats`). */
    public static String dollars(long micros) {
        return String.format(Locale.ROOT, micros < 1_000_000 ? "$%.4f" : "$%.2f", micros / 1e6);
    }
}
