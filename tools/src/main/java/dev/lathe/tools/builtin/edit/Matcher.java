package dev.lathe.tools.builtin.edit;

import java.util.List;

/**
 * One way of finding {@code oldString} in a file. A matcher returns every non-overlapping place it recognises, in file
 * order, each with the replacement adapted to that place (a tolerant matcher may re-indent {@code newString}).
 * Matchers never throw: "no match" is an empty list and ambiguity is decided by {@link MatcherChain}.
 */
public sealed interface Matcher
        permits ExactMatcher, TrimmedLinesMatcher, BlockAnchorMatcher, WhitespaceNormalisedMatcher, IndentationFlexibleMatcher,
        EscapeNormalisedMatcher, TrimmedBoundaryMatcher, ContextAwareMatcher {
    /** A short name for result messages, e.g. {@code trimmed-lines}. */
    String name();

    List<Match> find(String text, String oldString, String newString);
}
