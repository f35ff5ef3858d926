package dev.lathe.core.permission;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rules merged from every layer (a later layer has already replaced an earlier one's rule for the same key and
 * pattern), plus the managed policy's rules kept apart. Evaluation: a matching managed rule decides whatever the
 * other layers say; otherwise among the rules of the permission's own key that match, the most specific pattern wins,
 * ties to the stricter action; if none matches, the same over the keys that are patterns of tool names matching it
 * ({@code "github_*"}, the most specific key first), then over the {@code *} key; if still none, {@code ask}.
 */
public record Ruleset(List<Rule> rules, List<Rule> managed, Set<String> closed) {
    public Ruleset {
        rules = List.copyOf(rules);
        managed = List.copyOf(managed);
        closed = Set.copyOf(closed);
    }

    public Ruleset(List<Rule> rules, List<Rule> managed) {
        this(rules, managed, Set.of());
    }

    public Ruleset(List<Rule> rules) {
        this(rules, List.of(), Set.of());
    }

    /**
     * A higher layer ("always" approvals) on top: it replaces rules for the same key and pattern, except that an
     * approval never replaces a deny (one given before the deny was configured, e.g. "all edits in this session" and then {@code "edit": "deny"},
     * must not outlive it: both stay and the tie goes to deny); managed stays on top. Rules for a key an agent closed
     * ({@link #forAgent}) are left out unless they deny.
     */
    public Ruleset plus(List<Rule> more) {
        List<Rule> all = new ArrayList<>(rules);
        for (Rule r : more) {
            if (isClosed(r.permission()) && r.action() != Action.DENY) continue;
            all.removeIf(existing -> existing.permission().equals(r.permission()) && existing.pattern().equals(r.pattern())
                    && !(existing.action() == Action.DENY && r.origin().layer() == RuleOrigin.Layer.APPROVAL));
            all.add(r);
        }
        return new Ruleset(all, managed, closed);
    }

    /**
     * An agent's permission layer on top (DESIGN §10: defaults &lt; global &lt; project &lt; agent &lt; approvals). Its rules
     * replace rules for the same key and pattern, as {@link #plus} does; and where it denies a key outright (a
     * {@code deny} rule with pattern {@code *}; key {@code *} stands for every key) the key is <em>closed</em>: the
     * lower layers' {@code allow} and {@code ask} rules for it are dropped, and so are "always" approvals added later,
     * so only the agent's own more specific rules can open it. Without that, a project's {@code "edit": {"src/**":
     * "allow"}} would out-specify plan's {@code "edit": {"*": "deny"}}. Managed policy stays on top.
     */
    public Ruleset forAgent(List<Rule> layer) {
        Set<String> shut = new java.util.HashSet<>(closed);
        for (Rule r : layer) if (r.pattern().equals("*") && r.action() == Action.DENY) shut.add(r.permission());
        boolean all = shut.contains("*");
        List<Rule> kept = new ArrayList<>(rules.stream().filter(r -> r.action() == Action.DENY || !(all || shut.contains(r.permission()))).toList());
        for (Rule r : layer) {
            kept.removeIf(existing -> existing.permission().equals(r.permission()) && existing.pattern().equals(r.pattern()));
            kept.add(r);
        }
        return new Ruleset(kept, managed, shut);
    }

    /**
     * Whether the pattern {@code broader} matches everything {@code narrower} does, judged by matching {@code narrower}'s
     * own text ({@code rm *} covers {@code rm -rf build} and {@code rm -rf *}; {@code secrets/**} covers
     * {@code secrets/a/*}). For a config reader that keeps a stricter rule from being out-specified by a looser one of
     * the same file (Claude Code decides deny before allow, whatever the patterns).
     */
    public static boolean covers(String permission, String broader, String narrower) {
        return Pattern.matches(permission, broader, narrower);
    }

    /**
     * Whether {@code permission} is denied outright, so a tool asking only it is not offered (OpenCode hides such a tool;
     * issue 82): the managed policy denies it whole and opens no part of it, or an agent closed it ({@link #forAgent})
     * and no rule of its own opens a part again.
     */
    public boolean shut(String permission) {
        java.util.function.Predicate<Rule> whole = r -> r.permission().equals(permission) && r.pattern().equals("*") && r.action() == Action.DENY;
        java.util.function.Predicate<Rule> opens = r -> r.permission().equals(permission) && r.action() != Action.DENY;
        if (managed.stream().anyMatch(whole) && managed.stream().noneMatch(opens)) return true;
        return closed.contains(permission) && rules.stream().anyMatch(whole) && rules.stream().noneMatch(opens) && managed.stream().noneMatch(opens);
    }

    private boolean isClosed(String permission) {
        return closed.contains("*") || closed.contains(permission);
    }

    public Action evaluate(String permission, String value) {
        return winner(permission, value).map(Rule::action).orElse(Action.ASK);
    }

    /**
     * The rule that decides {@code value} when the read-only command lists do not count ({@link Rule#onlyReadOnly}): for
     * a command they would allow that is not read-only.
     */
    public Optional<Rule> winnerBesideReadOnlyLists(String permission, String value) {
        java.util.function.Predicate<Rule> kept = r -> !r.onlyReadOnly();
        return decide(managed.stream().filter(kept).toList(), permission, value).or(() -> decide(rules.stream().filter(kept).toList(), permission, value));
    }

    /** The rule that decides {@code value} for {@code permission}; empty when none matches (the answer is then ask). */
    public Optional<Rule> winner(String permission, String value) {
        return decide(managed, permission, value).or(() -> decide(rules, permission, value));
    }

    /**
     * The tool's own rules decide first, then rules whose key is a pattern that matches the tool's name
     * ({@code "github_*"}: every tool of the MCP server {@code github}; the most specific key wins), then {@code *}'s.
     */
    private static Optional<Rule> decide(List<Rule> rules, String permission, String value) {
        Rule own = best(rules, permission, permission, value);
        if (own != null) return Optional.of(own);
        Rule grouped = bestGrouped(rules, permission, value);
        return grouped != null ? Optional.of(grouped) : Optional.ofNullable(best(rules, "*", permission, value));
    }

    /** Among the rules keyed by a pattern of tool names that covers {@code permission}: the most specific key's best. */
    private static Rule bestGrouped(List<Rule> rules, String permission, String value) {
        int bestKey = -1;
        List<Rule> group = new ArrayList<>();
        for (Rule r : rules) {
            String key = r.permission();
            if (key.equals("*") || key.indexOf('*') < 0 && key.indexOf('?') < 0 || !Pattern.glob(key, permission, false)) continue;
            int s = Pattern.specificity(key);
            if (s > bestKey) {
                bestKey = s;
                group.clear();
            }
            if (s == bestKey) group.add(r);
        }
        return best(group, permission, value);
    }

    /**
     * Deny and ask rules for paths match whatever the letter case (on a case-insensitive file system {@code .ENV} is
     * {@code .env}); allow rules stay exact, so a case variant never gains an allow it would not have. Command rules
     * are exact.
     */
    private static boolean matches(Rule r, String permission, String value) {
        if (Pattern.matches(permission, r.pattern(), value)) return true;
        return r.action() != Action.ALLOW && Pattern.isPathPermission(permission)
                && Pattern.matches(permission, r.pattern().toLowerCase(java.util.Locale.ROOT), value.toLowerCase(java.util.Locale.ROOT));
    }

    private static Rule best(List<Rule> rules, String key, String permission, String value) {
        return best(rules.stream().filter(r -> r.permission().equals(key)).toList(), permission, value);
    }

    /** The most specific of {@code rules} whose pattern matches {@code value}; a tie goes to the stricter action. */
    private static Rule best(List<Rule> rules, String permission, String value) {
        int bestSpecificity = -1;
        Rule best = null;
        for (Rule r : rules) {
            if (!matches(r, permission, value)) continue;
            int s = Pattern.specificity(r.pattern());
            if (s > bestSpecificity || (s == bestSpecificity && r.action().ordinal() > best.action().ordinal())) {
                bestSpecificity = s;
                best = r;
            }
        }
        return best;
    }
}
