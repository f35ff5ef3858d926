package dev.lathe.protocol.api;

import java.util.List;
import java.util.Optional;

/**
 * Body of {@code POST /questions/{id}}: either {@code answers} (one list of chosen options or typed text per question,
 * in order) or a {@code rejection} the model is told instead (the user dismissed the questions, or nobody can answer).
 */
public record QuestionReplyRequest(Optional<List<List<String>>> answers, Optional<String> rejection) {
    public static QuestionReplyRequest answered(List<List<String>> answers) {
        return new QuestionReplyRequest(Optional.of(answers.stream().map(List::copyOf).toList()), Optional.empty());
    }

    public static QuestionReplyRequest rejected(String why) { return new QuestionReplyRequest(Optional.empty(), Optional.of(why)); }

    /** What headless runs answer: the model should go on without the user. */
    public static final String UNAVAILABLE = "The user is not available to answer; proceed with your best judgement.";
}
