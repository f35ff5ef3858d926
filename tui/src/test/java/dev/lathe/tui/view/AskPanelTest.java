package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.ApprovalScope;
import dev.lathe.protocol.event.AskingChild;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.event.Question;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.term.AskArming;
import dev.lathe.term.VisibleControls;
import dev.lathe.tui.text.Snapshots;
import dev.lathe.tui.text.Theme;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AskPanelTest {
    /** A panel whose clock moves on by the arming delay at every look, so the keys line shows the armed keys. */
    static AskPanel armedPanel() {
        var clock = new java.util.concurrent.atomic.AtomicLong();
        return new AskPanel(() -> clock.addAndGet(AskArming.MILLIS));
    }

    static PermissionRequest permission(String id) {
        return new PermissionRequest(new PermissionId(id), new SessionId("ses_1"), new MessageId("msg_1"), "c1", "bash",
                List.of("rm a.txt"), List.of("rm a.txt"), "rm a.txt", Map.of(), 1);
    }

    @Test
    void aPermissionRendersItsOptionsAndANumberAnswersAtOnce() {
        var panel = armedPanel();
        panel.add(new AskPanel.Ask.Permission(permission("prm_1"), false));
        Snapshots.assertMatches("ask-permission-60", panel.render(Theme.standard(), 60));
        var answer = panel.pick(1).orElseThrow();
        assertThat(((AskPanel.Answer.ToPermission) answer).reply().reply()).isEqualTo(PermissionReply.ONCE);
    }

    @Test
    void aSpendLimitsAskOffersRaiseLiftAndStopAndStopsAtOnce() {
        var limit = new PermissionRequest(new PermissionId("prm_b"), new SessionId("ses_1"), new MessageId("msg_1"), "", "budget",
                List.of("limits.session.usd"), List.of(), "Spend limit reached: session $5.02 of $5.00 (limits.session.usd).",
                Map.of("raise", "$5.00 more for this session"), 1);
        var panel = armedPanel();
        panel.add(new AskPanel.Ask.Permission(limit, false));
        var lines = panel.render(Theme.plain(), 80).stream().map(Object::toString).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("1. Yes, $5.00 more for this session"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("2. Yes, lift this limit for the session"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("3. No, stop here"));
        var stop = panel.pick(3).orElseThrow();
        assertThat(((AskPanel.Answer.ToPermission) stop).reply().reply()).isEqualTo(PermissionReply.REJECT);

        // on "No, stop here" nothing is typed: a digit picks an option (KeyHandler types only while typing())
        var again = armedPanel();
        again.add(new AskPanel.Ask.Permission(limit, false));
        again.up();
        assertThat(again.typing()).isFalse();
        again.type("1");
        var reply = ((AskPanel.Answer.ToPermission) again.confirm().orElseThrow()).reply();
        assertThat(reply.reply()).isEqualTo(PermissionReply.REJECT);
        assertThat(reply.message()).as("nothing was typed").isEmpty();
    }

    @Test
    void anEditAskShowsTheDiff() {
        var edit = new PermissionRequest(new PermissionId("prm_e"), new SessionId("ses_1"), new MessageId("msg_1"), "c1", "edit",
                List.of("a.txt"), List.of("a.txt"), "Edit a.txt", Map.of(), 1,
                Optional.of(new ToolDisplay.FileChange(List.of("a.txt"), "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-x\n+y\n")));
        var panel = armedPanel();
        panel.add(new AskPanel.Ask.Permission(edit, false));
        var lines = panel.render(Theme.plain(), 50).stream().map(Object::toString).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("+ y"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("- x"));
    }

    @Test
    void rejectingCarriesTheTypedMessage() {
        var panel = armedPanel();
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
        var panel = armedPanel();
        panel.add(new AskPanel.Ask.Permission(permission("prm_1"), false));
        panel.add(new AskPanel.Ask.Permission(permission("prm_2"), true));
        assertThat(panel.remove("prm_1")).isTrue();
        assertThat(panel.current().orElseThrow().id()).isEqualTo("prm_2");
        assertThat(panel.remove("prm_2")).isTrue();
        assertThat(panel.isEmpty()).isTrue();
        assertThat(panel.render(Theme.plain(), 40)).isEmpty();
    }

    /** Issue 56: a child's ask says which child asks, by its title; its controls never reach the terminal raw. */
    @Test
    void aChildsAskNamesTheChildThatAsks() {
        var child = Optional.of(new AskingChild(new SessionId("ses_parent"), "scout", "Survey tests\u001b]0;pwned\u0007 (@scout subagent)"));
        var asked = new PermissionRequest(new PermissionId("prm_c"), new SessionId("ses_child"), new MessageId("msg_1"), "c1", "bash",
                List.of("ls"), List.of("ls"), "ls", Map.of(), 1, Optional.empty(), ApprovalScope.PROJECT, child);
        var panel = armedPanel();
        panel.add(new AskPanel.Ask.Permission(asked, true));
        var screen = panel.render(Theme.plain(), 100).stream().map(VisibleControls::line).map(Object::toString).toList();
        assertThat(screen).anySatisfy(l -> assertThat(l).contains("Permission: bash").contains("child Survey tests").contains("(@scout subagent) asks"));
        assertThat(String.join("\n", screen)).doesNotContain("\u001b").doesNotContain("\u0007");

        var question = new QuestionRequest(new QuestionId("que_c"), new SessionId("ses_child"), new MessageId("msg_1"), "c1",
                List.of(new Question("Which one?", List.of("a", "b"), false)), 1, child);
        var questions = armedPanel();
        questions.add(new AskPanel.Ask.Questions(question, true));
        assertThat(questions.render(Theme.plain(), 100).stream().map(Object::toString))
                .anySatisfy(l -> assertThat(l).contains("Question").contains("child Survey tests"));
    }

    @Test
    void questionsAreAnsweredOneAfterAnother() {
        var panel = armedPanel();
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

    private static PermissionRequest longEdit(int lines) {
        var diff = new StringBuilder("--- a/src/Big.java\n+++ b/src/Big.java\n@@ -0,0 +1," + lines + " @@\n");
        for (int i = 1; i <= lines; i++) diff.append("+line ").append(i).append('\n');
        return new PermissionRequest(new PermissionId("prm_big"), new SessionId("ses_1"), new MessageId("msg_1"), "c1", "edit",
                List.of("src/Big.java"), List.of("*"), "Edit src/Big.java", Map.of(), 1,
                Optional.of(new ToolDisplay.FileChange(List.of("src/Big.java"), diff.toString())), dev.lathe.protocol.event.ApprovalScope.SESSION);
    }

    @Test
    void aLongDiffShrinksToTheRowsLeftKeepsTheHeaderAndScrollsToItsEnd() {
        var panel = armedPanel();
        panel.add(new AskPanel.Ask.Permission(longEdit(40), false));
        var lines = panel.render(Theme.plain(), 80, 18).stream().map(Object::toString).toList();
        assertThat(lines).hasSize(18);
        assertThat(lines.get(1)).contains("Permission: edit");
        assertThat(lines.get(2)).contains("Edit src/Big.java");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("lines 1–").contains("of 40").contains("pgdn"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("Yes, allow all edits in this session"));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains("line 40"));
        for (int i = 0; i < 10; i++) panel.pageDown();
        var end = panel.render(Theme.plain(), 80, 18).stream().map(Object::toString).toList();
        assertThat(end).hasSize(18);
        assertThat(end.get(1)).contains("Permission: edit");
        assertThat(end).anySatisfy(l -> assertThat(l).endsWith("+ line 40"));
        assertThat(end).anySatisfy(l -> assertThat(l).contains("of 40").contains("pgup"));
        for (int i = 0; i < 10; i++) panel.pageUp();
        assertThat(panel.render(Theme.plain(), 80, 18).stream().map(Object::toString).toList()).anySatisfy(l -> assertThat(l).endsWith("+ line 1"));
    }

    @Test
    void theAlwaysRulesCanBeEditedBeforeTheyAreSaved() {
        var panel = armedPanel();
        panel.add(new AskPanel.Ask.Permission(permission("prm_1"), false));
        panel.down();
        assertThat(panel.typing()).isTrue();
        panel.backspace();
        panel.backspace();
        panel.backspace();
        panel.backspace();
        panel.backspace();
        panel.type("*");
        assertThat(panel.render(Theme.plain(), 80).stream().map(Object::toString).toList())
                .anySatisfy(l -> assertThat(l).contains("Yes, always allow (this project): rm *"));
        var reply = ((AskPanel.Answer.ToPermission) panel.confirm().orElseThrow()).reply();
        assertThat(reply.reply()).isEqualTo(PermissionReply.ALWAYS);
        assertThat(reply.always()).contains(List.of("rm *"));
    }

    @Test
    void anUneditedAlwaysSendsNoRulesAndTheServerKeepsItsSuggestion() {
        var panel = armedPanel();
        panel.add(new AskPanel.Ask.Permission(permission("prm_1"), false));
        var reply = ((AskPanel.Answer.ToPermission) panel.pick(2).orElseThrow()).reply();
        assertThat(reply.reply()).isEqualTo(PermissionReply.ALWAYS);
        assertThat(reply.always()).isEmpty();
    }

    @Test
    void anAskWithNothingToRememberOffersNoAlways() {
        // what the server sends for `python3 -c 'import os; print(1)'`: no rule covers that line safely (issue 82)
        var script = new PermissionRequest(new PermissionId("prm_py"), new SessionId("ses_1"), new MessageId("msg_1"), "c1", "bash",
                List.of("python3 -c 'import os; print(1)'"), List.of(), "python3 -c 'import os; print(1)'", Map.of(), 1);
        var panel = armedPanel();
        panel.add(new AskPanel.Ask.Permission(script, false));
        var lines = panel.render(Theme.plain(), 80).stream().map(Object::toString).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("1. Yes, once"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("2. No (type a message for the agent)"));
        assertThat(String.join("\n", lines)).doesNotContain("always").doesNotContain("3.");
        assertThat(panel.select(3)).isFalse();
        panel.down();
        assertThat(panel.typing()).as("the second option is No, which takes a message").isTrue();
        panel.down();
        var once = ((AskPanel.Answer.ToPermission) panel.confirm().orElseThrow()).reply();
        assertThat(once.reply()).isEqualTo(PermissionReply.ONCE);
    }
}
