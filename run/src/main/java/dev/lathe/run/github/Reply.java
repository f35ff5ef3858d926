package dev.lathe.run.github;

import dev.lathe.term.Money;
import java.util.List;
import java.util.Optional;

/**
 * The text {@code lathe github run} posts: the progress comment, and what replaces it when done (the answer, files
 * changed, commits, the pull request or patch, cost, the run's link). The token is taken out of anything posted, and the
 * whole stays under GitHub's 65,536 characters.
 */
final class Reply {
    /** GitHub refuses a longer comment; kept below it with room for the footer. */
    static final int MAX_COMMENT = 60_000;
    private static final int MAX_ANSWER = 30_000;
    private static final int MAX_PATCH = 24_000;

    private final String token;
    private final Optional<String> runLink;

    Reply(String token, Optional<String> runLink) {
        this.token = token;
        this.runLink = runLink;
    }

    String working(String login) {
        return "Lathe is working on @" + login + "'s request" + runLink.map(l -> " ([run](" + l + "))").orElse("") + ".";
    }

    String reviewing() {
        return "Lathe is reviewing this pull request" + runLink.map(l -> " ([run](" + l + "))").orElse("") + ".";
    }

    /** What the work came to: every line here is said only when it applies. */
    record Outcome(String answer, List<String> files, List<String> commits, Optional<String> pullRequest, Optional<String> pushedTo,
            Optional<String> patch, Optional<String> problem, long costMicros, long tokens) {}

    String done(Outcome o) {
        StringBuilder b = new StringBuilder();
        o.problem().ifPresent(p -> b.append("**Lathe could not finish:** ").append(p).append("\n\n"));
        String answer = quiet(cut(o.answer().strip(), MAX_ANSWER));
        b.append(answer.isEmpty() ? "_(no answer)_" : answer).append("\n\n---\n");
        b.append(o.files().isEmpty() ? "No files changed." : "**Files changed:** " + String.join(", ", o.files().stream().limit(50).map(Reply::code).toList())
                + (o.files().size() > 50 ? " and " + (o.files().size() - 50) + " more" : "")).append("\n");
        if (!o.commits().isEmpty()) b.append("**Commits:** ").append(String.join("; ", o.commits().stream().limit(20).map(Reply::code).toList())).append("\n");
        o.pushedTo().ifPresent(branch -> b.append("**Pushed to:** ").append(code(branch)).append("\n"));
        o.pullRequest().ifPresent(pr -> b.append("**Pull request:** ").append(pr).append("\n"));
        o.patch().ifPresent(patch -> b.append("\nThis pull request comes from a fork, so Lathe pushes nothing to it. The change as a patch (`git apply`):\n\n")
                .append(fenced(cut(patch, MAX_PATCH), "diff")).append("\n"));
        b.append("**Cost:** ").append(Money.cost(o.costMicros(), o.tokens())).append(", ").append(String.format(java.util.Locale.ROOT, "%,d", o.tokens())).append(" tokens");
        runLink.ifPresent(l -> b.append(" · [run](").append(l).append(") (the session is the run's `lathe-session` artifact: `lathe import FILE`)"));
        return safe(b.toString());
    }

    /**
     * The model's text with its mentions made inert ({@code @everyone}, {@code @org/team}, {@code @user} get a zero-width
     * space after the {@code @}): a comment or finding the model wrote pings nobody.
     */
    static String quiet(String text) { return text.replaceAll("@(?=[A-Za-z0-9_])", "@\u200B"); }

    /** {@code text} without the token, control characters (but lines and tabs) and within GitHub's limit: the last thing done to any text posted. */
    String safe(String text) {
        String clean = (token.length() >= 8 ? text.replace(token, "***") : text).replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F\\x{9B}]", "");
        return cut(clean, MAX_COMMENT);
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "\n\n… (cut at " + max + " characters)";
    }

    private static String code(String s) {
        return "`" + s.replace("`", "'").replaceAll("\\p{Cntrl}", " ") + "`";
    }

    /** {@code text} in a fence longer than any run of backticks inside it, so it cannot close the block early. */
    static String fenced(String text, String language) {
        int longest = 0;
        int run = 0;
        for (char c : text.toCharArray()) {
            run = c == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        return fence + language + "\n" + text + (text.endsWith("\n") ? "" : "\n") + fence;
    }
}
