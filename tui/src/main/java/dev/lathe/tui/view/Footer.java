package dev.lathe.tui.view;

import dev.lathe.protocol.session.Usage;
import dev.lathe.term.Money;
import dev.lathe.term.QuotaMeter;
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
 * @param imported the session came with {@code lathe import}: its tokens were billed by the other harness (issue 71)
 */
public record Footer(Left left, long contextUsed, int contextLimit, long cost, Usage usage, McpSummary mcp, Optional<String> quota, boolean imported) {
    /** The line's left-hand side: the agent, the model, the session's worktree branch and the input's hint. */
    public record Left(String agent, String model, Optional<String> branch, String hint) {}

    /** A footer for a folder without MCP servers. */
    public Footer(String agent, String model, long contextUsed, int contextLimit, long cost, Usage usage, String hint) {
        this(agent, model, contextUsed, contextLimit, cost, usage, hint, McpSummary.NONE);
    }

    /** A footer for a session in no worktree, without the provider's rate-limit windows (none reported yet). */
    public Footer(String agent, String model, long contextUsed, int contextLimit, long cost, Usage usage, String hint, McpSummary mcp) {
        this(new Left(agent, model, Optional.empty(), hint), contextUsed, contextLimit, cost, usage, mcp, Optional.empty(), false);
    }

    public AttributedString render(Theme theme, int width) {
        var line = new AttributedStringBuilder()
                .styled(theme.style(Role.ACCENT), left.agent())
                .styled(theme.style(Role.FOOTER), " · ")
                .styled(theme.style(Role.FOOTER), left.model());
        // a session in a worktree works on its own branch, not the one the user's checkout is on: the footer says which
        left.branch().ifPresent(b -> line.styled(theme.style(Role.FOOTER), " · ").styled(theme.style(Role.ACCENT), "⎇ " + b));
        if (!left.hint().isEmpty()) line.styled(theme.style(Role.FOOTER), "  " + left.hint());
        List<AttributedString> right = new ArrayList<>();
        Optional<AttributedString> servers = mcp.render(theme);
        boolean serverDown = !mcp.troubled().isEmpty();
        if (serverDown) right.add(servers.get());
        right.add(theme.paint(Role.FOOTER, context()));
        right.add(theme.paint(Role.FOOTER, Money.cost(cost, usage, imported)));
        quota.ifPresent(q -> right.add(theme.paint(Role.FOOTER, q)));
        cacheRatio(usage).ifPresent(r -> right.add(theme.paint(Role.FOOTER, "cache " + r + "%")));
        if (!serverDown) servers.ifPresent(right::add);
        while (!right.isEmpty()) {
            var r = new AttributedStringBuilder();
            for (int i = 0; i < right.size(); i++) {
                if (i > 0) r.styled(theme.style(Role.FOOTER), " · ");
                r.append(right.get(i));
            }
            int gap = width - line.columnLength() - r.columnLength();
            if (gap >= 2) {
                return new AttributedStringBuilder().append(line).append(" ".repeat(gap)).append(r).toAttributedString();
            }
            right.removeLast();
        }
        return Wrap.truncate(line.toAttributedString(), width);
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

    /** {@code n} and the noun, singular for one: "1 response", "2 responses". */
    public static String count(long n, String one, String many) { return n + " " + (n == 1 ? one : many); }
}
