package dev.lathe.core.permission;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Rules merged from every layer (a later layer has already replaced an earlier one's rule for the same key and
 * pattern), plus the managed policy's rules kept apart. Evaluation: a matching managed rule decides whatever the
 * other layers say; otherwise among the rules of the permission's own key that match, the most specific pattern wins,
 * ties to the stricter action; if none matches, the same over the {@code *} key; if still none, {@code ask}.
 */
public record Ruleset(List<Rule> rules, List<Rule> managed) {
    public Ruleset {
        rules = List.copyOf(rules);
        managed = List.copyOf(managed);
    }

    public Ruleset(List<Rule> rules) {
        this(rules, List.of());
    }

    /** A higher layer (agent rules, approvals) on top: it replaces rules for the same key and pattern; managed stays on top. */
    public Ruleset plus(List<Rule> more) {
        List<Rule> all = new ArrayList<>(rules);
        for (Rule r : more) {
            all.removeIf(existing -> existing.permission().equals(r.permission()) && existing.pattern().equals(r.pattern()));
            all.add(r);
        }
        return new Ruleset(all, managed);
    }

    public Action evaluate(String permission, String value) {
        Action policy = decide(managed, permission, value);
        return policy != null ? policy : Objects.requireNonNullElse(decide(rules, permission, value), Action.ASK);
    }

    private static Action decide(List<Rule> rules, String permission, String value) {
        Action own = best(rules, permission, permission, value);
        return own != null ? own : best(rules, "*", permission, value);
    }

    private static Action best(List<Rule> rules, String key, String permission, String value) {
        int bestSpecificity = -1;
        Action best = null;
        for (Rule r : rules) {
            if (!r.permission().equals(key) || !Pattern.matches(permission, r.pattern(), value)) continue;
            int s = Pattern.specificity(r.pattern());
            if (s > bestSpecificity) {
                bestSpecificity = s;
                best = r.action();
            } else if (s == bestSpecificity) {
                best = best.stricter(r.action());
            }
        }
        return best;
    }
}
