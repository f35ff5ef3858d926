package dev.lathe.tools.builtin.edit;

import java.util.ArrayList;
import java.util.List;

/**
 * First and last lines match (trimmed) and the lines between are similar: forgives a misremembered middle line, or
 * a line too many or too few. Needs three lines or more, because with fewer there is no middle to judge and the
 * anchors alone would say too little. Only the best-scoring block is returned; when several blocks compete the bar
 * is higher, because a weak winner among many is likely the wrong one.
 */
public record BlockAnchorMatcher() implements Matcher {
    static final double ONE_CANDIDATE_THRESHOLD = 0.6;
    static final double SEVERAL_CANDIDATES_THRESHOLD = 0.8;

    private record Candidate(int first, int last, double score) {}

    @Override public String name() { return "block-anchors"; }

    @Override
    public List<Match> find(String text, String oldString, String newString) {
        List<String> wanted = Lines.split(oldString);
        if (wanted.size() < 3) return List.of();
        String head = wanted.getFirst().strip();
        String tail = wanted.getLast().strip();
        if (head.isEmpty() || tail.isEmpty()) return List.of();
        Lines lines = Lines.of(text);
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals(head)) continue;
            int reach = Math.min(lines.size() - 1, i + 2 * wanted.size());
            for (int j = i + 2; j <= reach; j++) {
                if (!lines.get(j).strip().equals(tail)) continue;
                candidates.add(new Candidate(i, j, middleSimilarity(lines.window(i + 1, j - i - 1), wanted.subList(1, wanted.size() - 1))));
                break;
            }
        }
        if (candidates.isEmpty()) return List.of();
        double threshold = candidates.size() == 1 ? ONE_CANDIDATE_THRESHOLD : SEVERAL_CANDIDATES_THRESHOLD;
        double best = candidates.stream().mapToDouble(Candidate::score).max().orElse(0);
        if (best < threshold) return List.of();
        // equally good blocks are returned together so the chain reports the ambiguity instead of guessing
        List<Match> out = new ArrayList<>();
        int taken = -1;
        for (Candidate c : candidates) {
            if (c.score() < best || c.first() <= taken) continue;
            List<String> found = lines.window(c.first(), c.last() - c.first() + 1);
            out.add(lines.block(c.first(), found.size(), oldString, Indentation.repairLineByLine(found, wanted, newString)));
            taken = c.last();
        }
        return out;
    }

    /** Mean similarity of the middle lines, position by position; a missing or extra line scores zero. */
    static double middleSimilarity(List<String> found, List<String> wanted) {
        int n = Math.max(found.size(), wanted.size());
        if (n == 0) return 1.0;
        double sum = 0;
        for (int k = 0; k < Math.min(found.size(), wanted.size()); k++) sum += Similarity.ratio(found.get(k).strip(), wanted.get(k).strip());
        return sum / n;
    }
}
