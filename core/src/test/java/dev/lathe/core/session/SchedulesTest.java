package dev.lathe.core.session;

import dev.lathe.protocol.session.SessionStatus;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.protocol.SessionId;
import dev.lathe.core.schedule.Schedules;
import dev.lathe.core.store.ScheduleStore;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.ScheduleInfo;
import dev.lathe.protocol.api.ScheduleRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cron schedules through the real core (DESIGN §18 "Schedules"): the harness's clock stands still until the test moves
 * it, and the test looks for due schedules itself ({@code runDue}) instead of waiting for the loop's tick.
 */
class SchedulesTest {
    @TempDir Path tmp;

    private static ScheduleRequest everyMinute(Path dir, String message) {
        return new ScheduleRequest("* * * * *", Optional.of("UTC"), Optional.of(dir.toString()), Optional.empty(), message);
    }

    @Test
    void aScheduleDueEveryMinuteRunsOnceAtItsTimeAsASessionOfItsFolder() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(text("Nightly done."), finish(StopReason.STOP));
            ScheduleInfo added = h.api.addSchedule(everyMinute(h.project, "run the nightly checks"));
            assertThat(added.id()).startsWith("sch_");
            assertThat(added.nextRunAt()).contains(Instant.parse("2026-01-05T09:01:00Z").toEpochMilli());
            assertThat(h.schedules.runDue()).as("nothing due before its first time").isEmpty();

            h.clock.set(Instant.parse("2026-01-05T09:01:05Z"));
            List<SessionId> ran = h.schedules.runDue();
            assertThat(ran).hasSize(1);
            assertThat(h.schedules.runDue()).as("the same time runs once").isEmpty();
            h.awaitIdle(ran.getFirst());

            var session = h.api.session(ran.getFirst());
            assertThat(session.directory()).isEqualTo(h.project.toRealPath().toString());
            assertThat(session.title()).startsWith("schedule " + added.id() + ": run the nightly checks");
            assertThat(h.llm.requests).hasSize(1);
            var listed = h.api.schedules().getFirst();
            assertThat(listed.lastSessionId()).contains(ran.getFirst().value());
            assertThat(listed.lastRunAt()).contains(Instant.parse("2026-01-05T09:01:00Z").toEpochMilli());
            assertThat(listed.nextRunAt()).contains(Instant.parse("2026-01-05T09:02:00Z").toEpochMilli());
        }
    }

    @Test
    void aRestartThatMissedTwoTimesRunsOnce() throws Exception {
        String id;
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(text("First."), finish(StopReason.STOP));
            id = h.api.addSchedule(everyMinute(h.project, "tick")).id();
            h.clock.set(Instant.parse("2026-01-05T09:01:02Z"));
            h.awaitIdle(h.schedules.runDue().getFirst());
        }
        // no server from 09:01:30 to 09:03:40: the 09:02 and 09:03 runs are owed as one, of 09:03
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(text("Again."), finish(StopReason.STOP));
            h.clock.set(Instant.parse("2026-01-05T09:03:40Z"));
            List<SessionId> ran = h.schedules.runDue();
            assertThat(ran).hasSize(1);
            assertThat(h.schedules.runDue()).isEmpty();
            h.awaitIdle(ran.getFirst());
            assertThat(h.api.schedules()).singleElement().satisfies(s -> {
                assertThat(s.id()).isEqualTo(id);
                assertThat(s.lastRunAt()).contains(Instant.parse("2026-01-05T09:03:00Z").toEpochMilli());
            });
            assertThat(h.api.sessions(h.project.toString())).as("one session per run: 09:01, then 09:03").hasSize(2);
        }
    }

    @Test
    void aScheduleFiringEveryMinuteForeverStopsAtTheUsersSpendLimit() throws Exception {
        String priced = "{\"model\": \"openai/gpt-4o-mini\", \"provider\": {\"openai\": {\"protocol\": \"openai-chat\","
                + " \"baseUrl\": \"http://127.0.0.1:9/v1\", \"apiKey\": \"sk-test\"}}, \"limits\": {\"day\": {\"usd\": 0.01}}}";
        try (var h = new Harness(tmp, priced, 10, null)) {
            // each answer reports 100,000 input tokens: $0.015, past the day's $0.01
            for (int i = 0; i < 3; i++) {
                h.llm.then(text("spent"), new LlmEvent.UsageReported(new TokenUsage(100_000, 10, 0, 0, 0)), finish(StopReason.STOP));
            }
            h.api.addSchedule(everyMinute(h.project, "spend"));
            h.clock.set(Instant.parse("2026-01-05T09:01:01Z"));
            h.awaitIdle(h.schedules.runDue().getFirst());
            h.clock.advance(Duration.ofMinutes(1));
            SessionId second = h.schedules.runDue().getFirst();
            // nobody watches a schedule's run: the spend-limit ask is answered by permission.unattended (deny), so the run
            // stops at the limit instead of waiting forever on an ask nobody sees (issue 79, decision 551)
            h.awaitIdle(second);
            assertThat(h.llm.requests).as("the second run's request is never sent").hasSize(1);
            assertThat(h.api.status(second)).isInstanceOf(SessionStatus.Idle.class);
        }
    }

    @Test
    void aFolderSwappedForALinkIsNotRunAndTheUserIsTold() throws Exception {
        Path notices = tmp.resolve("notices.json");
        String notify = ", \"notify\": {\"command\": [\"/bin/sh\", \"-c\", \"cat >> " + notices + "\"], \"on\": [\"failed\"]}";
        try (var h = new Harness(tmp, notify, 10)) {
            Path work = Files.createDirectories(h.project.resolve("work"));
            Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
            h.api.addSchedule(everyMinute(work, "tidy up"));
            Files.delete(work);
            Files.createSymbolicLink(work, elsewhere);
            h.clock.set(Instant.parse("2026-01-05T09:01:01Z"));
            assertThat(h.schedules.runDue()).isEmpty();
            assertThat(h.api.sessions(elsewhere.toString())).isEmpty();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!(Files.exists(notices) && Files.readString(notices).contains("could not start")) && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(Files.readString(notices)).contains("\"event\":\"failed\"").contains("now leads to").doesNotContain("tidy up");
        }
    }

    @Test
    void aRunUsesTheModeAndConfigItsOwnerHadAtAddAndNoKeyIsStored() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Path config = Files.writeString(tmp.resolve("owner.json"), "{}");
            var owner = new ClientEnvironment(Map.of("LATHE_NETWORK", "local", "LATHE_CONFIG", config.toString(), "OPENAI_API_KEY", "sk-owner-secret",
                    "LATHE_CONFIG_CONTENT", "{\"provider\": {\"x\": {\"apiKey\": \"sk-inline-secret\"}}}"));
            h.api.withEnvironment(owner).addSchedule(everyMinute(h.project, "nightly"));

            var stored = h.storage.schedules().list().getFirst();
            assertThat(stored.environment()).containsOnly(Map.entry("LATHE_NETWORK", "local"), Map.entry("LATHE_CONFIG", config.toString()));
            assertThat(h.db.query("SELECT environment FROM schedule_environment", rs -> rs.getString(1)).getFirst()).doesNotContain("secret");
            var run = Schedules.runEnvironment(stored, Map.of("OPENAI_API_KEY", "sk-server", "LATHE_NETWORK", "open", "PATH", "/bin"));
            assertThat(run.variables()).as("the server's keys, the owner's mode and config")
                    .containsOnly(Map.entry("OPENAI_API_KEY", "sk-server"), Map.entry("LATHE_NETWORK", "local"), Map.entry("LATHE_CONFIG", config.toString()));

            // the kept LATHE_CONFIG reaches the run: once the owner's file is gone, the run cannot start and says why
            Files.delete(config);
            h.clock.set(Instant.parse("2026-01-05T09:01:05Z"));
            assertThat(h.schedules.runDue()).isEmpty();
            assertThat(h.api.sessions(h.project.toString())).isEmpty();
        }
    }

    @Test
    void theRunsSessionIsItsOwnersBeforeItsPromptIsSent() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.api.addSchedule(everyMinute(h.project, "nightly").ownedBy("alice"));
            var ownerAtPrompt = new java.util.concurrent.atomic.AtomicReference<Optional<String>>();
            var schedules = new Schedules(h.storage.schedules(), h.storage.accounts(), h.clock, "node-t", new Schedules.Starter() {
                @Override
                public SessionId create(ScheduleStore.Stored s, Instant due) {
                    return h.api.createSession(new CreateSessionRequest(h.project.toString(), Optional.of("run"), Optional.empty(), Optional.empty(),
                            Optional.empty())).id();
                }

                @Override
                public void prompt(ScheduleStore.Stored s, SessionId session) { ownerAtPrompt.set(h.storage.accounts().ownerOf(session)); }
            }, (s, r) -> { });
            h.clock.set(Instant.parse("2026-01-05T09:01:05Z"));
            assertThat(schedules.runDue()).hasSize(1);
            assertThat(ownerAtPrompt.get()).contains("alice");
        }
    }

    @Test
    void oneOwnerKeepsAtMostFiftySchedulesAndTheFiftyFirstIsAClearConflict() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            for (int i = 0; i < Schedules.MAX_PER_OWNER; i++) h.api.addSchedule(everyMinute(h.project, "n" + i).ownedBy("alice"));
            assertThatThrownBy(() -> h.api.addSchedule(everyMinute(h.project, "one more").ownedBy("alice")))
                    .isInstanceOf(LatheException.Conflict.class).hasMessage("you have 50 schedules, the most one user may keep (50): remove one first "
                            + "(lathe schedule list shows them)");
            assertThat(h.api.addSchedule(everyMinute(h.project, "bob's").ownedBy("bob")).owner()).as("another owner's count is their own").isEqualTo("bob");
            h.api.removeSchedule(h.api.schedules().getFirst().id());
            assertThat(h.api.addSchedule(everyMinute(h.project, "again").ownedBy("alice")).id()).startsWith("sch_");
        }
    }

    @Test
    void badRequestsAreRefusedInTheUsersWords() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            String dir = h.project.toString();
            assertThatThrownBy(() -> h.api.addSchedule(new ScheduleRequest("0 24 * * *", Optional.empty(), Optional.of(dir), Optional.empty(), "x")))
                    .isInstanceOf(LatheException.InvalidInput.class).hasMessageContaining("field 2 (hour)");
            assertThatThrownBy(() -> h.api.addSchedule(new ScheduleRequest("* * * * *", Optional.of("Mars/Olympus"), Optional.of(dir), Optional.empty(), "x")))
                    .hasMessageContaining("unknown time zone 'Mars/Olympus'");
            assertThatThrownBy(() -> h.api.addSchedule(new ScheduleRequest("* * * * *", Optional.empty(), Optional.of("relative/dir"), Optional.empty(), "x")))
                    .hasMessageContaining("absolute path");
            assertThatThrownBy(() -> h.api.addSchedule(new ScheduleRequest("* * * * *", Optional.empty(), Optional.of(dir + "/missing"), Optional.empty(), "x")))
                    .hasMessageContaining("does not exist");
            assertThatThrownBy(() -> h.api.addSchedule(new ScheduleRequest("* * * * *", Optional.empty(), Optional.of(dir), Optional.of("https://x.invalid/r.git"), "x")))
                    .hasMessageContaining("give one of them");
            assertThatThrownBy(() -> h.api.addSchedule(everyMinute(h.project, "y".repeat(100_001)))).hasMessageContaining("at most 100000");
            assertThatThrownBy(() -> h.api.addSchedule(everyMinute(h.project, "  "))).hasMessageContaining("needs a message");
            assertThatThrownBy(() -> h.api.removeSchedule("sch_nothing")).isInstanceOf(LatheException.NotFound.class);
            assertThatThrownBy(() -> h.api.removeSchedule("../../etc")).isInstanceOf(LatheException.NotFound.class);
            // a link given is followed once: the schedule keeps the real folder
            Path link = Files.createSymbolicLink(tmp.resolve("link"), h.project);
            assertThat(h.api.addSchedule(everyMinute(link, "x")).directory()).contains(h.project.toRealPath().toString());
            assertThat(h.api.schedules()).hasSize(1);
            h.api.removeSchedule(h.api.schedules().getFirst().id());
            assertThat(h.api.schedules()).isEmpty();
        }
    }
}
