package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.event.Question;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tui.text.Snapshots;
import dev.lathe.tui.text.Theme;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AskPanelTest {
    static PermissionRequest permission(String id) {
        return new PermissionRequest(new PermissionId(id), new SessionId("ses_1"), new MessageId("msg_1"), "c1", "bash",
                List.of("rm a.txt"), List.of("rm *"), "rm a.txt", Map.of(), 1);
    }

    @Test
    void aPermissionRendersItsOptionsAndANumberAnswersAtOnce() {
        var panel = new AskPanel();
        panel.add(new AskPanel.Ask.Permission(permission("prm_1"), false));
        Snapshots.assertMatches("ask-permission-60", panel.render(Theme.standard(), 60));
        var answer = panel.pick(1).orElseThrow();
        assertThat(((AskPanel.Answer.ToPermission) answer).reply().reply()).isEqualTo(PermissionReply.ONCE);
    }

    @Test
    void anEditAskShowsTheDiff() {
        var edit = new PermissionRequest(new PermissionId("prm_e"), new SessionId("ses_1"), new MessageId("msg_1"), "c1", "edit",
                List.of("a.txt"), List.of("a.txt"), "Edit a.txt", Map.of(), 1,
                Optional.of(new ToolDisplay.FileChange(List.of("a.txt"), "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-x\n+y\n")));
        var panel = new AskPanel();
        panel.add(new AskPanel.Ask.Permission(edit, false));
        var lines = panel.render(Theme.plain(), 50).stream().map(Object::toString).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("+ y"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("- x"));
    }

    @Test
    void rejectingCarriesTheTypedMessage() {
        var panel = new AskPanel();
        panel.add(new AskPanel.Ask.Permission(permission("prm_1"), false));
        assertThat(panel.pick(3)).isEmpty();
        assertThat(panel.typing()).isTrue();
        panel.type("keep it");
        var reply = ((AskPanel.Answer.ToPermission) panel.confirm().orElseThrow()).reply();
        assertThat(reply.reply()).isEqualTo(PermissionReply.REJECT);
        assertThat(reply.message()).contains("keep it");
    }

    @Test
    void anAskAnsweredElsewhereDisappearsAndTheNextShows() {
        var panel = new AskPanel();
        panel.add(new AskPanel.Ask.Permission(permission("prm_1"), false));
        panel.add(new AskPanel.Ask.Permission(permission("prm_2"), true));
        assertThat(panel.remove("prm_1")).isTrue();
        assertThat(panel.current().orElseThrow().id()).isEqualTo("prm_2");
        assertThat(panel.remove("prm_2")).isTrue();
        assertThat(panel.isEmpty()).isTrue();
        assertThat(panel.render(Theme.plain(), 40)).isEmpty();
    }

    @Test
    void questionsAreAnsweredOneAfterAnother() {
        var panel = new AskPanel();
        var request = new QuestionRequest(new QuestionId("que_1"), new SessionId("ses_1"), new MessageId("msg_1"), "c1", List.of(
                new Question("Which database?", List.of("sqlite", "postgres"), false),
                new Question("Which features?", List.of("auth", "search", "export"), true)), 1);
        panel.add(new AskPanel.Ask.Questions(request, false));
        panel.down();
        assertThat(panel.confirm()).isEmpty();
        panel.toggle();
        panel.down();
        panel.down();
        panel.toggle();
        Snapshots.assertMatches("ask-question-50", panel.render(Theme.plain(), 50));
        var reply = ((AskPanel.Answer.ToQuestions) panel.confirm().orElseThrow()).reply();
        assertThat(reply.answers().orElseThrow()).containsExactly(List.of("postgres"), List.of("auth", "export"));
    }
}
