package dev.lathe.llm.anthropic;

import dev.lathe.llm.KeptBodySteps;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Messages API body begun with the previous step's bytes (issue 55) is byte for byte the body written whole, step after
 * step of a turn ({@link KeptBodySteps}): here also where a rewind moves the breakpoints back onto messages the kept
 * body wrote without them, and a message with nothing to send stands last.
 */
class KeptBodyTest {
    @Test
    void everyStepsBodyIsTheBodyWrittenWhole() {
        KeptBodySteps.everyWay(List.of(Encoder::body), "messages");
    }
}
