package dev.lathe.core.session.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.store.TeamStore;
import dev.lathe.protocol.ScheduleId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.Delivery;
import dev.lathe.protocol.api.PromptRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the inbox decides an arrival's entry (decision 521): by its kind and whether the session is busy. The stores,
 * runners and nodes behind each entry are exercised end to end by {@code SteeringTest}, {@code BackgroundSubagentTest},
 * {@code AgentTeamTest} and {@code SchedulesTest}.
 */
class InboxTest {
    private static final SessionId SESSION = SessionId.next();

    private static Arrival.Prompt prompt(Delivery how) {
        return new Arrival.Prompt(SESSION, PromptRequest.text("go on").delivered(how));
    }

    private static List<Arrival> everyKind() {
        return List.of(new Arrival.Prompt(SESSION, PromptRequest.text("hi")), prompt(Delivery.steer), prompt(Delivery.interrupt),
                new Arrival.ScheduleFiring(SESSION, new ScheduleId("sch_1"), "nightly"),
                new Arrival.ChildResult(SESSION, SessionId.next(), "completed", "done"),
                new Arrival.TeammateMessage(SESSION, new TeamStore.Delivery("msg_1", SESSION, "ana", "hi")),
                new Arrival.HookFeedback(SESSION, "TeammateIdle", "keep going"));
    }

    @Test
    void anIdleSessionStartsATurnWhateverArrives() {
        assertThat(everyKind()).allSatisfy(a -> assertThat(Inbox.entry(a, false)).isEqualTo(Inbox.Entry.START));
    }

    @Test
    void aBusySessionTakesAPromptAsItsDeliverySaysAndEverythingElseAtTheNextStepBoundary() {
        assertThat(everyKind()).extracting(a -> Inbox.entry(a, true)).containsExactly(
                Inbox.Entry.QUEUE, Inbox.Entry.STEER, Inbox.Entry.INTERRUPT,
                Inbox.Entry.QUEUE,
                Inbox.Entry.STEER, Inbox.Entry.STEER, Inbox.Entry.STEER);
        assertThat(Inbox.entry(prompt(Delivery.queue), true)).as("the default, said").isEqualTo(Inbox.Entry.QUEUE);
    }

    @Test
    void aScheduleFiringIsAnUnattendedPromptOfItsMessage() {
        var request = new Arrival.ScheduleFiring(SESSION, new ScheduleId("sch_1"), "nightly").request();
        assertThat(request.unattended()).isTrue();
        assertThat(request.deliveryOrQueue()).isEqualTo(Delivery.queue);
        assertThat(request).isEqualTo(PromptRequest.text("nightly").unattendedRun());
    }
}
