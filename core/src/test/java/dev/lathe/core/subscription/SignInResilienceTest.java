package dev.lathe.core.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.Config;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.testkit.PlanAuthServer.Reply;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What a sign-in survives (the second review of decision 121): a newer sign-in replacing a waiting one, a logout
 * during a renewal, a vendor's answers that are not revocations (a 400 other than {@code invalid_grant}, a 5xx, GitHub's
 * rate limits, a malformed {@code expires_at}), device-code intervals of "0" and rate-limited polls; and Copilot's
 * {@code X-Initiator}, which keeps a tool loop's steps from counting as premium requests.
 */
class SignInResilienceTest extends PlanTestBed {

    @Test
    void aReplacedSignInEndsWithoutAWordAndOnlyTheNewOneIsHeard() throws Exception {
        var endpoints = PlanEndpoints.of(Plan.CHATGPT, config(chatGptConfig()));
        List<PlanSignIns.Finished> heard = new CopyOnWriteArrayList<>();
        // the first sign-in waits between polls until it is replaced
        PlanSignIn.Pause untilReplaced = d -> Thread.sleep(Duration.ofMinutes(1));
        try (var signIns = new PlanSignIns(store(), PlanSignIn::of, untilReplaced, Duration.ofSeconds(30), heard::add)) {
            signIns.start(endpoints, dev.lathe.core.network.OutboundGate.OPEN, true);
            awaitTrue(() -> auth.devicePolls.get() == 1); // "not entered yet": it pauses
            signIns.start(endpoints, dev.lathe.core.network.OutboundGate.OPEN, true); // its one poll gets the code
            awaitTrue(() -> !heard.isEmpty());
            Thread.sleep(100);
            // the old flow ended before the new one answered its start: a client would have taken its failure for the new one's
            assertThat(heard).containsExactly(new PlanSignIns.Finished("openai", Optional.empty()));
        }
    }

    @Test
    void aLogoutDuringARenewalStaysLoggedOut() throws Exception {
        auth.liveRefreshTokens.add("rt-old");
        store().save("openai", new AuthStore.OAuth("at-old", "rt-old", System.currentTimeMillis() - 1000, Optional.empty(), Optional.empty()));
        var tokens = new PlanTokens(store(), PlanSignIn.of(PlanEndpoints.of(Plan.CHATGPT, config(chatGptConfig()))));
        auth.refreshHeld = new CountDownLatch(1);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<AuthStore.OAuth> renewal = pool.submit(tokens::fresh);
            awaitTrue(() -> auth.refreshes.get() == 1); // the renewal's HTTP call is under way
            Future<Boolean> logout = pool.submit(() -> store().remove("openai")); // `lathe auth logout openai`
            Thread.sleep(200);
            auth.refreshHeld.countDown();
            assertThat(renewal.get().access()).isEqualTo("at-1");
            assertThat(logout.get()).isTrue();
        }
        assertThat(store().oauth("openai")).as("the renewal did not bring the sign-in back").isEmpty();
    }

    @Test
    void aTokenServerErrorThatIsNotARevocationFailsTheRequestAndKeepsTheSignIn() throws Exception {
        Config config = config(chatGptConfig());
        auth.liveRefreshTokens.add("rt-good");
        store().save("openai", new AuthStore.OAuth("at-old", "rt-good", System.currentTimeMillis() - 1000, Optional.empty(), Optional.empty()));
        auth.next("/oauth/token", Reply.of(400, "{\"error\":\"invalid_request\",\"error_description\":\"try again\"}"));
        auth.next("/oauth/token", Reply.of(503, "<html>busy</html>"));
        auth.next("/oauth/token", Reply.of(429, "{\"error\":{\"code\":\"rate_limit_exceeded\"}}"));
        ResolvedModel model = resolver(config).resolve("openai/gpt-5.5");

        for (String said : List.of("invalid_request", "HTTP 503", "HTTP 429")) {
            LlmEvent.Finished failed = send(model, userSaid());
            assertThat(failed.error().orElseThrow()).isInstanceOf(LlmError.Unreachable.class);
            assertThat(failed.error().get().message()).contains(said);
            assertThat(store().oauth("openai")).as("kept after %s", said).map(AuthStore.OAuth::refresh).contains("rt-good");
        }
        backend.enqueue(Turn.of(Step.text("ok")));
        assertThat(send(model, userSaid()).error()).as("the kept sign-in renews once the server answers").isEmpty();
        assertThat(backend.requests()).hasSize(1);
    }

    @Test
    void githubRateLimitsAndAMalformedCopilotTokenKeepTheSignIn() throws Exception {
        Config config = config(copilotConfig());
        store().save("github-copilot", new AuthStore.OAuth("copilot-0", "gho-user-token", 0, Optional.empty(), Optional.of(backend.baseUrl())));
        String path = "/copilot_internal/v2/token";
        auth.next(path, new Reply(403, "{\"message\":\"API rate limit exceeded\"}", Map.of("x-ratelimit-remaining", "0")));
        auth.next(path, new Reply(403, "{\"message\":\"You have exceeded a secondary rate limit\"}", Map.of("retry-after", "60")));
        auth.next(path, Reply.of(200, "{\"token\":\"copilot-x\",\"expires_at\":\"soon\"}"));
        ResolvedModel model = resolver(config).resolve("github-copilot/gpt-4.1");

        for (String said : List.of("rate limit exceeded", "secondary rate limit", "expires_at")) {
            LlmEvent.Finished failed = send(model, userSaid());
            assertThat(failed.error().orElseThrow().message()).contains(said);
            assertThat(store().oauth("github-copilot")).as("kept after %s", said).isPresent();
        }
        backend.enqueue(Turn.of(Step.text("ok")));
        assertThat(send(model, userSaid()).error()).isEmpty();
        assertThat(backend.requests().getFirst().headers()).containsEntry("authorization", "Bearer copilot-1");
    }

    @Test
    void copilotIsToldWhetherTheUserOrTheToolLoopStartedTheStep() throws Exception {
        Config config = config(copilotConfig());
        store().save("github-copilot", new AuthStore.OAuth("copilot-0", "gho-user-token", System.currentTimeMillis() + 3_600_000,
                Optional.empty(), Optional.of(backend.baseUrl())));
        ResolvedModel model = resolver(config).resolve("github-copilot/gpt-4.1");
        backend.enqueue(Turn.of(Step.text("first")));
        backend.enqueue(Turn.of(Step.text("after the tool")));

        assertThat(send(model, userSaid()).error()).isEmpty();
        List<LlmMessage> followUp = List.of(LlmMessage.user(List.of(new Content.Text("list the files"))),
                LlmMessage.assistant(List.of(new Content.ToolCall("call-1", "ls", "{}", Optional.empty()))),
                LlmMessage.user(List.of(new Content.ToolResult("call-1", "ls", "a.txt", false))));
        assertThat(send(model, followUp).error()).isEmpty();

        assertThat(backend.requests().get(0).headers()).containsEntry("x-initiator", "user");
        assertThat(backend.requests().get(1).headers()).as("a tool loop's step is no premium request").containsEntry("x-initiator", "agent");
    }

    @Test
    void devicePollsWaitAtLeastASecondAndBackOffWhenAskedToSlowDown() throws Exception {
        List<Duration> waits = new CopyOnWriteArrayList<>();
        PlanSignIn.Pause recorded = waits::add;
        // OpenAI: interval "0", then a 429 on the first poll
        auth.next("/api/accounts/deviceauth/token", Reply.of(429, "{\"error\":{\"message\":\"slow down\"}}"));
        var chatGpt = PlanSignIn.of(PlanEndpoints.of(Plan.CHATGPT, config(chatGptConfig())));
        DeviceCode code = chatGpt.startDevice();
        assertThat(code.interval()).isEqualTo(PlanSignIn.MIN_POLL);
        assertThat(chatGpt.finishDevice(code, recorded).refresh()).isEqualTo("rt-1");
        Duration slower = PlanSignIn.MIN_POLL.plus(PlanSignIn.SLOW_DOWN);
        assertThat(waits).as("the 429 slowed the polls, and the sign-in went on").containsExactly(slower, slower);

        // GitHub: interval 0, and slow_down naming interval 0
        waits.clear();
        var copilot = PlanSignIn.of(PlanEndpoints.of(Plan.COPILOT, config(copilotConfig())));
        copilot.finishDevice(copilot.startDevice(), recorded);
        assertThat(waits).hasSize(2).allMatch(d -> d.compareTo(PlanSignIn.MIN_POLL) >= 0);
    }


    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not reached within 10 s");
            Thread.sleep(10);
        }
    }


}
