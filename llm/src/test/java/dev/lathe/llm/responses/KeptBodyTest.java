package dev.lathe.llm.responses;

import dev.lathe.llm.KeptBodySteps;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Responses body begun with the previous step's bytes (issue 55) is byte for byte the body written whole, step after
 * step of a turn ({@link KeptBodySteps}), for OpenAI itself, a compatible server and the ChatGPT backend (the system
 * prompt as instructions, no output cap), and across switches between them.
 */
class KeptBodyTest {
    private static final List<KeptBodySteps.Dialect> DIALECTS = List.of((r, k) -> Encoder.body(r, new Encoder.Dialect(true), k),
            (r, k) -> Encoder.body(r, new Encoder.Dialect(false), k), (r, k) -> Encoder.body(r, new Encoder.Dialect(true, true), k));

    @Test
    void everyStepsBodyIsTheBodyWrittenWhole() {
        new KeptBodySteps(DIALECTS, "input").aTurn();
    }

    @Test
    void theChatGptBackendEveryStep() {
        new KeptBodySteps(DIALECTS.reversed(), "input").aTurn();
    }

    @Test
    void anEqualFirstMessageOfAnotherHistoryIsAnotherHistory() {
        new KeptBodySteps(DIALECTS, "input").anotherHistoryWithAnEqualFirstMessage();
    }
}
