package dev.lathe.core.permission;

import java.util.ArrayList;
import java.util.List;

/**
 * Rules merged from every layer (a later layer has already replaced an earlier one's rule for the same key and
 * pattern). Evaluation: among the rules of the permission's own key that match, the most specific pattern wins, ties
 * to the stricter action; if none matches, the same over the {@code *} key; if still none, {@code ask}.
 */
public record Ruleset(List<Rule> rules) {
    public Ruleset {
        rules = List.copyOf(rules);
    }

    public Ruleset plus(List<Rule> more) {
        List<Rule> all = new ArrayList<>(rules);
        for (Rule r : more) {
            all.removeIf(existing -> existing.permission().equals(r.permission()) && existing.pattern().equals(r.pattern()));
            all.add(r);
        }
        return new Ruleset(all);
    }

    public Action evaluate(String permission, String value) {
        return winner(permission, value).map(Rule::action).orElse(Action.ASK);
    }

    /** The rule that decides {@code value} for {@code permission}; empty when none matches (the answer is then ask). */
    public java.util.Optional<Rule> winner(String permission, String value) {
        Rule own = best(permission, permission, value);
        if (own != null) return java.util.Optional.of(own);
        return java.util.Optional.ofNullable(best("*", permission, value));
    }

    private Rule best(String key, String permission, String value) {
        int bestSpecificity = -1;
        Rule best = null;
        for (Rule r : rules) {
            if (!r.permission().equals(key) || !Pattern.matches(permission, r.pattern(), value)) continue;
            int s = Pattern.specificity(r.pattern());
            if (s > bestSpecificity || (s == bestSpecificity && r.action().ordinal() > best.action().ordinal())) {
                bestSpecificity = s;
                best = r;
            }
        }
        return best;
    }
}
