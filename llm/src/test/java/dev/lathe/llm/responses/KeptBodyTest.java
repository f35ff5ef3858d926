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
    @Test
    void everyStepsBodyIsTheBodyWrittenWhole() {
        KeptBodySteps.everyWay(List.of((r, k) -> Encoder.BODIES.body(r, new Encoder.Dialect(true), k),
                (r, k) -> Encoder.BODIES.body(r, new Encoder.Dialect(false), k), (r, k) -> Encoder.BODIES.body(r, new Encoder.Dialect(true, true), k)),
                "input");
    }
}
