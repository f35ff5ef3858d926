package dev.lathe.core.session.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.budget.SpendLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A step's admission reads the limits from the project the step has just read, until an ask waits for the user: from
 * then on (the ask's own re-check included) every look reads the configuration as it is, so a limit changed in
 * {@code lathe.json} while the ask waited is what the admission holds to.
 */
class StepLooksTest {
    @Test
    void theStepsProjectUntilAnAskThenTheLiveOneAtEveryLook() {
        var version = new AtomicInteger(1);
        var liveLooks = new AtomicInteger();
        var looks = new TurnBudget.StepLooks<>("read at the step's start", () -> {
            liveLooks.incrementAndGet();
            return "live " + version.get();
        });
        assertThat(looks.get()).isEqualTo("read at the step's start");
        assertThat(looks.get()).isEqualTo("read at the step's start");
        assertThat(liveLooks).as("no config file looked at again before an ask").hasValue(0);

        List<String> seenInAsk = new ArrayList<>();
        SpendLedger.Asker asker = looks.asking((reached, stillReached) -> {
            // the user raised the limit in lathe.json while asked
            version.set(2);
            stillReached.get();
            seenInAsk.add(looks.get());
            return Optional.empty();
        });
        assertThat(asker.ask(null, Optional::empty)).isEmpty();
        assertThat(seenInAsk).containsExactly("live 2");
        version.set(3);
        assertThat(looks.get()).as("after an ask every look is live").isEqualTo("live 3");
    }
}
