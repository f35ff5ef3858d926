package dev.lathe.llm.openai;

import dev.lathe.llm.KeptBodySteps;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Chat Completions body begun with the previous step's bytes (issue 55) is byte for byte the body written whole, step
 * after step of a turn ({@link KeptBodySteps}), for a compatible server and OpenAI itself (strict schemas, the cache key,
 * the other token-limit name), and across a switch between them.
 */
class KeptBodyTest {
    @Test
    void everyStepsBodyIsTheBodyWrittenWhole() {
        KeptBodySteps.everyWay(List.of((r, k) -> Encoder.BODIES.body(r, Encoder.TokenLimitField.MAX_TOKENS, k),
                (r, k) -> Encoder.BODIES.body(r, Encoder.TokenLimitField.MAX_COMPLETION_TOKENS, k)), "messages");
    }
}
