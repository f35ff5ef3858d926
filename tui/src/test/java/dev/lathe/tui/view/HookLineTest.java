package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** A hook run in the transcript: one line under the call, dim when it decided, in the warning colour when it misbehaved. */
class HookLineTest {
    static final SessionId SES = new SessionId("ses_hooks");
    static final MessageId MSG = new MessageId("msg_a1");

    static Part.Hook hook(String id, String decision, Optional<Integer> exit, String message) {
        return new Part.Hook(new PartId(id), SES, MSG, "PreToolUse", "./guard.sh", ".claude/settings.json", Optional.of("Bash"),
                Optional.of("c1"), exit, 12, decision, message);
    }

    static List<AttributedString> render(Theme theme, int width, Part... parts) {
        var t = new Transcript(SES);
        t.load(List.of(new MessageWithParts(new AssistantMessage(MSG, SES, new MessageId("msg_u1"), "build", "fake/model", 2, Optional.of(9L),
                Optional.of("stop"), Optional.empty(), Usage.ZERO, 0), List.of(parts))), false, 40);
        return t.takeCommit(new BlockView(theme), width, false);
    }

    @Test
    void aBlockingHookIsOneDimLineNamingEventHandlerSourceExitDurationAndReason() {
        var lines = render(Theme.standard(), 120, hook("prt_1", "blocked", Optional.of(2), "no pushes\nsecond line"));

        assertThat(lines).extracting(AttributedString::toString)
                .containsExactly("⚙ PreToolUse ./guard.sh (.claude/settings.json) exit 2 · 12 ms · blocked: no pushes");
        assertThat(lines.getFirst().styleAt(0)).isEqualTo(Theme.standard().style(Role.MUTED));
    }

    @Test
    void aFailedOrTimedOutHookIsInTheWarningColourAndAPlainSuccessHasNoReason() {
        var lines = render(Theme.standard(), 120, hook("prt_1", "timed out", Optional.empty(), "killed after 30 s"),
                hook("prt_2", "failed", Optional.of(1), "exit 1: broken"), hook("prt_3", "ok", Optional.of(0), ""));

        assertThat(lines).extracting(AttributedString::toString).containsExactly(
                "⚙ PreToolUse ./guard.sh (.claude/settings.json) · 12 ms · timed out: killed after 30 s",
                "⚙ PreToolUse ./guard.sh (.claude/settings.json) exit 1 · 12 ms · failed: exit 1: broken",
                "⚙ PreToolUse ./guard.sh (.claude/settings.json) exit 0 · 12 ms · ok");
        assertThat(lines.get(0).styleAt(0)).isEqualTo(Theme.standard().style(Role.WARNING));
        assertThat(lines.get(1).styleAt(0)).isEqualTo(Theme.standard().style(Role.WARNING));
        assertThat(lines.get(2).styleAt(0)).isEqualTo(Theme.standard().style(Role.MUTED));
    }

    @Test
    void aNarrowTerminalCutsTheLineToItsWidth() {
        assertThat(render(Theme.standard(), 30, hook("prt_1", "blocked", Optional.of(2), "no pushes")))
                .singleElement().satisfies(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(30));
    }

    @Test
    void aHookThatRanForThePromptIsShownUnderIt() {
        var user = new MessageId("msg_u1");
        var t = new Transcript(SES);
        t.load(List.of(new MessageWithParts(new dev.lathe.protocol.session.UserMessage(user, SES, 1, "build", "fake/model"), List.of(
                new Part.Text(new PartId("prt_1"), SES, user, "deploy it", false),
                new Part.Hook(new PartId("prt_2"), SES, user, "UserPromptSubmit", "./policy.sh", "lathe.json", Optional.empty(), Optional.empty(),
                        Optional.of(0), 4, "context", "")))), false, 40);

        assertThat(t.takeCommit(new BlockView(Theme.plain()), 80, false)).extracting(AttributedString::toString)
                .containsExactly("", "› deploy it", "⚙ UserPromptSubmit ./policy.sh (lathe.json) exit 0 · 4 ms · context");
    }
}
