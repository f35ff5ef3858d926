package dev.lathe.run.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.RunResult;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Quota;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The result line's quota and cache hit ratio, folded from a turn's step finishes as {@code lathe run} sees them. */
class TurnTallyQuotaTest {
    static final SessionId S = new SessionId("ses_q");
    static final String RESETS = Instant.now().plusSeconds(600).toString();

    @Test
    void theResultCarriesTheTurnsLatestWindowOfEachNameAndWarnsOncePerWindow() {
        var tally = new TurnTally();
        MessageId earlier = MessageId.next();
        tally.message(answer(earlier, Usage.ZERO));
        assertThat(tally.part(finish(earlier, List.of(new Quota("5h", 90, 100, RESETS))))).hasSize(1);
        // a new prompt starts the turn over: the earlier turn's windows are not this result's
        tally.message(new UserMessage(MessageId.next(), S, 0, "build", "fake/m"));
        MessageId answer = MessageId.next();
        tally.message(answer(answer, new Usage(1_000, 10, 0, 3_000, 0)));
        assertThat(tally.part(finish(answer, List.of(new Quota("requests", 1, 50, RESETS), new Quota("tokens", 70_000, 100_000, RESETS))))).isEmpty();
        List<String> warnings = tally.part(finish(answer, List.of(new Quota("tokens", 85_000, 100_000, RESETS))));
        assertThat(warnings).singleElement().asString().startsWith("quota: tokens 85% used (85,000 of 100,000), resets ");
        assertThat(tally.part(finish(answer, List.of(new Quota("tokens", 90_000, 100_000, RESETS))))).isEmpty();
        // a step that reported nothing leaves the windows as they were
        tally.part(finish(answer, List.of()));

        RunResult result = tally.result(S, Optional.empty(), 0, 10);
        assertThat(result.quota()).containsExactly(new Quota("requests", 1, 50, RESETS), new Quota("tokens", 90_000, 100_000, RESETS));
        assertThat(result.cacheHitRatio()).isEqualTo(0.75);
    }

    private static AssistantMessage answer(MessageId id, Usage usage) {
        return new AssistantMessage(id, S, id, "build", "fake/m", 0, Optional.of(1L), Optional.of("stop"), Optional.empty(), usage, 0);
    }

    private static Part finish(MessageId m, List<Quota> quota) {
        return new Part.StepFinish(PartId.next(), S, m, "stop", Usage.ZERO, 0, Optional.empty(), quota);
    }
}
