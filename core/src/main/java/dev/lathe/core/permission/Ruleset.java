package dev.lathe.core.permission;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        return winner(permission, value).map(Rule::action).orElse(Action.ASK);
    }

    /** The rule that decides {@code value} for {@code permission}; empty when none matches (the answer is then ask). */
    public Optional<Rule> winner(String permission, String value) {
        return decide(managed, permission, value).or(() -> decide(rules, permission, value));
    }

    private static Optional<Rule> decide(List<Rule> rules, String permission, String value) {
        Rule own = best(rules, permission, permission, value);
        return own != null ? Optional.of(own) : Optional.ofNullable(best(rules, "*", permission, value));
    }

    private static Rule best(List<Rule> rules, String key, String permission, String value) {
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
