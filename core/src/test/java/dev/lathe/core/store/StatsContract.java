package dev.lathe.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Quota;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract of {@link StatsStore}: project stats summed over real session, message and part rows. */
public abstract class StatsContract extends StorageFixture {
    @Test
    void sumsTheFoldersSessionsAndSplitsThemByModel() {
        try (Storage storage = open(tmp)) {
            var sessions = storage.sessions();
            var messages = storage.messages();
            ProjectId project = storage.projects().idFor("/work/a");
            ProjectId other = storage.projects().idFor("/work/b");
            // session totals include a turn a revert dropped later (its message is gone): 1000 input, 50 cents more
            Session one = session(project, "/work/a", new Usage(1_000 + 1_200 + 300, 100 + 40 + 10, 20, 8_000 + 2_000, 500 + 0), 500_000 + 30_000 + 4_000);
            Session two = session(project, "/work/a", new Usage(700, 70, 0, 0, 0), 9_000);
            Session elsewhere = session(other, "/work/b", new Usage(5, 5, 0, 5, 5), 5);
            for (Session s : List.of(one, two, elsewhere)) sessions.insert(s);
            assistant(messages, one, "anthropic/claude-sonnet-4-5", new Usage(1_200, 40, 20, 8_000, 500), 30_000, 2);
            assistant(messages, one, "openai/gpt-5", new Usage(300, 10, 0, 2_000, 0), 4_000, 1);
            assistant(messages, two, "anthropic/claude-sonnet-4-5", new Usage(700, 70, 0, 0, 0), 9_000, 1);
            assistant(messages, elsewhere, "anthropic/claude-sonnet-4-5", new Usage(5, 5, 0, 5, 5), 5, 1);

            ProjectStats stats = storage.stats().project("/work/a");

            Usage total = new Usage(3_200, 220, 20, 10_000, 500);
            var sonnet = new Usage(1_900, 110, 20, 8_000, 500);
            var gpt = new Usage(300, 10, 0, 2_000, 0);
            assertThat(stats).isEqualTo(new ProjectStats("/work/a", 2, 3, 4, total, 543_000, 10_000.0 / 13_700, List.of(
                    new ProjectStats.ModelStats("anthropic/claude-sonnet-4-5", 2, sonnet, 39_000, 8_000.0 / 10_400),
                    new ProjectStats.ModelStats("openai/gpt-5", 1, gpt, 4_000, 2_000.0 / 2_300))));
            assertThat(storage.stats().project("/work/none")).isEqualTo(new ProjectStats("/work/none", 0, 0, 0, Usage.ZERO, 0, 0, List.of()));
        }
    }

    @Test
    void theQuotaIsTheLatestWindowOfEachNameTheFoldersStepsReported() {
        try (Storage storage = open(tmp)) {
            ProjectId project = storage.projects().idFor("/work/q");
            Session one = session(project, "/work/q", Usage.ZERO, 0);
            Session elsewhere = session(storage.projects().idFor("/work/r"), "/work/r", Usage.ZERO, 0);
            storage.sessions().insert(one);
            storage.sessions().insert(elsewhere);
            String at = "2026-11-28T14:05:00Z";
            reported(storage.messages(), one, List.of(new Quota("requests", 1, 50, at), new Quota("tokens", 10, 100, at)));
            reported(storage.messages(), one, List.of());
            reported(storage.messages(), one, List.of(new Quota("tokens", 82, 100, at)));
            reported(storage.messages(), elsewhere, List.of(new Quota("tokens", 99, 100, at)));

            assertThat(storage.stats().project("/work/q").quota()).containsExactly(new Quota("requests", 1, 50, at), new Quota("tokens", 82, 100, at));
            assertThat(storage.stats().project("/work/none").quota()).isEmpty();
        }
    }

    private static void reported(MessageStore messages, Session s, List<Quota> quota) {
        var user = new UserMessage(MessageId.next(), s.id(), 1, "build", "m");
        messages.insertUser(user, List.of());
        var a = new AssistantMessage(MessageId.next(), s.id(), user.id(), "build", "m", 2, Optional.of(3L), Optional.of("stop"), Optional.empty(),
                Usage.ZERO, 0);
        messages.upsertAssistant(a);
        messages.upsertPart(new Part.StepFinish(PartId.next(), s.id(), a.id(), "stop", Usage.ZERO, 0, Optional.empty(), quota));
    }

    private static Session session(ProjectId project, String directory, Usage usage, long cost) {
        return new Session(SessionId.next(), project, directory, Optional.empty(), "t", "build", "anthropic/claude-sonnet-4-5", 1, 1,
                Optional.empty(), usage, cost, Optional.empty());
    }

    /** An answer of {@code steps} steps (the last one carries the usage; the count is what matters). */
    private static void assistant(MessageStore messages, Session s, String model, Usage usage, long cost, int steps) {
        var user = new UserMessage(MessageId.next(), s.id(), 1, "build", model);
        messages.insertUser(user, List.of(new Part.Text(PartId.next(), s.id(), user.id(), "hi", false)));
        var a = new AssistantMessage(MessageId.next(), s.id(), user.id(), "build", model, 2, Optional.of(3L), Optional.of("stop"), Optional.empty(),
                usage, cost);
        messages.upsertAssistant(a);
        for (int i = 0; i < steps; i++) {
            messages.upsertPart(new Part.StepStart(PartId.next(), s.id(), a.id(), Optional.empty()));
            messages.upsertPart(new Part.StepFinish(PartId.next(), s.id(), a.id(), "stop", i == steps - 1 ? usage : Usage.ZERO, 0, Optional.empty()));
        }
    }
}
