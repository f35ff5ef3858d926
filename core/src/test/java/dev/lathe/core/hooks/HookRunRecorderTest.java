package dev.lathe.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.session.Part;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each kind of run becomes as a part, and that a failing audit or turn never stops the other or the caller. */
class HookRunRecorderTest {
    private static final Hook HOOK = new Hook(HookEvent.POST_TOOL_USE, HookMatcher.parse("edit|write"), new HookHandler.Command("fmt", List.of("--quiet"),
            HookHandler.Command.Form.EXEC, Duration.ofSeconds(30)), new HookSource("lathe.json", HookSource.Dialect.LATHE));
    private static final MessageId MESSAGE = new MessageId("msg_1");

    private final List<Part.Hook> parts = new ArrayList<>();
    private final List<HookRun> audited = new ArrayList<>();

    private HookRunRecorder recorder(boolean auditFails) {
        return new HookRunRecorder((session, make) -> parts.add((Part.Hook) make.apply(MESSAGE)), (session, call, run) -> {
            if (auditFails) throw new IllegalStateException("disk full");
            audited.add(run);
        });
    }

    @Test
    void eachResultHasItsShortDecisionAndMessage() {
        recorder(false).record("ses_1", Optional.of("c1"), List.of(
                new HookRun(HOOK, 40, Optional.of(0), new HookRun.Result.Succeeded("")),
                new HookRun(HOOK, 40, Optional.of(0), new HookRun.Result.Succeeded("allow")),
                new HookRun(HOOK, 40, Optional.of(2), new HookRun.Result.Blocked("fix the format first")),
                new HookRun(HOOK, 40, Optional.of(0), new HookRun.Result.Stopped("enough")),
                new HookRun(HOOK, 40, Optional.of(500), new HookRun.Result.Failed("HTTP 500")),
                new HookRun(HOOK, 30_000, Optional.empty(), new HookRun.Result.TimedOut(30_000)),
                new HookRun(HOOK, 6_000, Optional.of(0), new HookRun.Result.Succeeded("context"))));

        assertThat(parts).extracting(Part.Hook::decision).containsExactly("ok", "allow", "blocked", "stopped", "failed", "timed out", "context");
        assertThat(parts).extracting(Part.Hook::message).containsExactly("", "", "fix the format first", "enough", "HTTP 500", "killed after 30 s",
                "slow");
        assertThat(parts.getFirst()).satisfies(p -> {
            assertThat(p.event()).isEqualTo("PostToolUse");
            assertThat(p.handler()).isEqualTo("fmt --quiet");
            assertThat(p.source()).isEqualTo("lathe.json");
            assertThat(p.matcher()).contains("edit|write");
            assertThat(p.callId()).contains("c1");
            assertThat(p.messageId()).isEqualTo(MESSAGE);
            assertThat(p.sessionId().value()).isEqualTo("ses_1");
        });
        assertThat(audited).hasSize(7);
    }

    @Test
    void aFailingAuditDoesNotKeepTheRunOutOfTheTurn() {
        recorder(true).record("ses_1", Optional.empty(), List.of(new HookRun(HOOK, 1, Optional.of(1), new HookRun.Result.Failed("exit 1: no"))));
        assertThat(parts).singleElement().satisfies(p -> {
            assertThat(p.callId()).isEmpty();
            assertThat(p.misbehaved()).isTrue();
        });

        var throwingTurns = new HookRunRecorder((session, make) -> {
            throw new IllegalStateException("store closed");
        }, (session, call, run) -> audited.add(run));
        throwingTurns.record("ses_1", Optional.empty(), List.of(new HookRun(HOOK, 1, Optional.of(0), new HookRun.Result.Succeeded(""))));
        assertThat(audited).hasSize(1);
    }
}
