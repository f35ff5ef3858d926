package dev.lathe.tools;

import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.event.Question;
import java.util.List;

/**
 * Port to the user (implemented in core): blocks the calling virtual thread until a client answers. Returns one list
 * of answers per question, in order; throws {@link ToolFailure} with a message for the model when the questions were
 * rejected or nobody can answer, so the model goes on with its own judgement.
 */
@FunctionalInterface
public interface Questions {
    List<List<String>> ask(List<Question> questions);

    /** No user to ask (tests, internal calls). */
    Questions UNAVAILABLE = q -> {
        throw new ToolFailure(QuestionReplyRequest.UNAVAILABLE);
    };
}
