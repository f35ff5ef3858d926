package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Usage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the footer adds to the session's totals while answers run: each answer once, never after it ended. */
class TurnSpendTest {
    static final SessionId SESSION = new SessionId("ses_1");
    static final MessageId ANSWER = new MessageId("msg_2");
    static final Usage ONE = new Usage(100, 20, 0, 0, 0);

    static AssistantMessage running(long cost, Usage usage) {
        return new AssistantMessage(ANSWER, SESSION, new MessageId("msg_1"), "build", "m", 1, Optional.empty(), Optional.empty(),
                Optional.empty(), usage, cost);
    }

    static Part.StepFinish step(String id, long cost) {
        return new Part.StepFinish(new PartId(id), SESSION, ANSWER, "tool_calls", ONE, cost, Optional.empty());
    }

    @Test
    void aResponsesCostCountsAsSoonAsTheAnswerSaysSoAndItsStepIsNotAddedAgain() {
        var spend = new TurnSpend();
        spend.answer(running(0, Usage.ZERO), 0);
        assertThat(spend.cost()).isZero();

        spend.answer(running(600, ONE), 0);
        assertThat(spend.cost()).as("the command of the response still runs").isEqualTo(600);
        assertThat(spend.usage()).isEqualTo(ONE);

        spend.step(step("prt_a", 600));
        assertThat(spend.cost()).as("the same response's finished step").isEqualTo(600);
        assertThat(spend.usage()).isEqualTo(ONE);
    }

    @Test
    void finishedStepsCountForAnAnswerThatAnnouncesOnlyThose() {
        var spend = new TurnSpend();
        spend.answer(running(0, Usage.ZERO), 0);
        spend.step(step("prt_a", 600));
        spend.step(step("prt_b", 600));
        assertThat(spend.cost()).isEqualTo(1200);
        assertThat(spend.usage()).isEqualTo(ONE.plus(ONE));
    }

    @Test
    void anEndedAnswerIsTheSessionsAndALateVersionOfItsStepIsNotCountedAgain() {
        var spend = new TurnSpend();
        spend.answer(running(600, ONE), 0);
        spend.step(step("prt_a", 600));
        spend.answer(running(1200, ONE.plus(ONE)).completed(5, "stop", ONE.plus(ONE), 1200), 0);
        assertThat(spend.cost()).as("ended, the session's totals not updated yet").isEqualTo(1200);
        assertThat(spend.usage()).isEqualTo(ONE.plus(ONE));
        spend.settle(ONE.total());
        assertThat(spend.cost()).as("another update of the session, before its totals include the answer").isEqualTo(1200);
        spend.settle(ONE.plus(ONE).total());
        assertThat(spend.cost()).as("the session's totals include it").isZero();
        assertThat(spend.usage()).isEqualTo(Usage.ZERO);

        spend.step(step("prt_a", 600));
        spend.answer(running(1200, ONE.plus(ONE)), 0);
        assertThat(spend.cost()).as("the step's snapshot written after the answer ended").isZero();
    }

    @Test
    void anAnswerThatEndsIsCountedUntilTheSessionsTotalsIncludeItNeverZeroInBetween() {
        // a session that already cost something: its totals grow by the answer's figures after the answer's completion
        long before = 5_000;
        var spend = new TurnSpend();
        spend.answer(running(600, ONE), before);
        spend.answer(running(600, ONE).completed(5, "stop", ONE, 600), before);
        assertThat(spend.cost()).isEqualTo(600);
        spend.settle(before + ONE.total() - 1);
        assertThat(spend.cost()).isEqualTo(600);
        spend.settle(before + ONE.total());
        assertThat(spend.cost()).isZero();
    }

    @Test
    void aCompletedAnswerNeverSeenRunningIsTheSessionsAlready() {
        // announced again after it ended (its totals long in the session's): nothing to hold on to
        var spend = new TurnSpend();
        spend.answer(running(600, ONE).completed(5, "stop", ONE, 600), 10_000);
        assertThat(spend.cost()).isZero();
    }

    @Test
    void reloadingFromTheStoredMessagesKeepsWhatTheRunningAnswerCostSoFar() {
        var spend = new TurnSpend();
        spend.answer(running(999, ONE), 0);
        spend.reload(List.of(new MessageWithParts(running(600, ONE), List.of(step("prt_a", 600)))));
        assertThat(spend.cost()).isEqualTo(600);
        spend.reload(List.of(new MessageWithParts(running(600, ONE).completed(5, "stop", ONE, 600), List.of())));
        assertThat(spend.cost()).isZero();
    }
}
