package dev.lathe.run.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.Question;
import dev.lathe.term.AskArming;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the console client reads the answer typed to a permission ask or a question. */
class ConsoleAsksTest {
    @Test
    void permissionAnswersAcceptShortAndLongForms() {
        assertThat(ConsoleAsks.permissionReply("o")).contains(PermissionReplyRequest.of(PermissionReply.ONCE));
        assertThat(ConsoleAsks.permissionReply("YES")).contains(PermissionReplyRequest.of(PermissionReply.ONCE));
        assertThat(ConsoleAsks.permissionReply("always")).contains(PermissionReplyRequest.of(PermissionReply.ALWAYS));
        assertThat(ConsoleAsks.permissionReply("r")).contains(PermissionReplyRequest.of(PermissionReply.REJECT));
        assertThat(ConsoleAsks.permissionReply("reject  use git mv instead"))
                .contains(new PermissionReplyRequest(PermissionReply.REJECT, Optional.of("use git mv instead")));
        assertThat(ConsoleAsks.permissionReply("maybe")).isEmpty();
    }

    @Test
    void questionAnswersAreOptionNumbersOrWords() {
        var single = new Question("Which?", List.of("red", "green", "blue"), false);
        var multiple = new Question("Which ones?", List.of("red", "green", "blue"), true);
        var open = new Question("Name?", List.of(), false);
        assertThat(ConsoleAsks.choice(single, "2")).contains(List.of("green"));
        assertThat(ConsoleAsks.choice(single, "1,3")).isEmpty();
        assertThat(ConsoleAsks.choice(single, "4")).isEmpty();
        assertThat(ConsoleAsks.choice(multiple, "1, 3")).contains(List.of("red", "blue"));
        assertThat(ConsoleAsks.choice(single, "purple, please")).contains(List.of("purple, please"));
        assertThat(ConsoleAsks.choice(open, "42")).contains(List.of("42"));
    }

    /** Issue 42: a line typed for a message, or in the ask's first moment, answers nothing. */
    @Test
    void aLineInTheAsksFirstMomentOrNotAnAnswerDoesNotAnswerIt() {
        var replies = new java.util.ArrayList<PermissionReplyRequest>();
        var api = (dev.lathe.protocol.api.LatheApi) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {dev.lathe.protocol.api.LatheApi.class}, (proxy, method, args) -> {
                    if (method.getName().equals("replyPermission")) replies.add((PermissionReplyRequest) args[1]);
                    return null;
                });
        var err = new java.io.ByteArrayOutputStream();
        var errStream = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
        var now = new java.util.concurrent.atomic.AtomicLong(1_000);
        var asks = new ConsoleAsks(api, errStream, new EventPrinter(errStream, errStream), now::get);
        asks.add(new ConsoleAsks.Ask.Permission(new dev.lathe.protocol.event.PermissionRequest(new dev.lathe.protocol.PermissionId("prm_1"),
                new dev.lathe.protocol.SessionId("ses_1"), new dev.lathe.protocol.MessageId("msg_1"), "c1", "bash", List.of("rm a"),
                List.of("rm *"), "rm a", java.util.Map.of(), 1), false));
        asks.showNext();

        now.addAndGet(100);
        assertThat(asks.answer("o")).as("taken, not queued").isTrue();
        assertThat(replies).as("too soon: not an answer").isEmpty();
        assertThat(err.toString()).contains("it just appeared");
        assertThat(asks.answer("2")).as("text for the agent, queued").isFalse();
        assertThat(asks.answer("")).isTrue();
        now.addAndGet(AskArming.MILLIS);
        assertThat(asks.answer("fix the tests too")).as("a message, even armed").isFalse();
        assertThat(asks.answer("")).as("an empty line is no answer").isTrue();
        assertThat(replies).isEmpty();
        assertThat(asks.answer("o")).isTrue();
        assertThat(replies).containsExactly(PermissionReplyRequest.of(PermissionReply.ONCE));
    }

    /** DESIGN §18: the console's ask of a child names the child (its title made safe for the terminal, §24). */
    @Test
    void aChildsAskNamesTheChildThatAsks() {
        var api = (dev.lathe.protocol.api.LatheApi) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {dev.lathe.protocol.api.LatheApi.class}, (proxy, method, args) -> null);
        var err = new java.io.ByteArrayOutputStream();
        var errStream = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
        var asks = new ConsoleAsks(api, errStream, new EventPrinter(errStream, errStream), () -> 1_000);
        var parent = new dev.lathe.protocol.SessionId("ses_1");
        var child = Optional.of(new dev.lathe.protocol.event.AskingChild(parent, "general", "Fix \u001b[2Jtests (@general subagent)"));
        asks.add(new ConsoleAsks.Ask.Permission(new dev.lathe.protocol.event.PermissionRequest(new dev.lathe.protocol.PermissionId("prm_2"),
                new dev.lathe.protocol.SessionId("ses_2"), new dev.lathe.protocol.MessageId("msg_1"), "c1", "bash", List.of("rm a"),
                List.of("rm *"), "rm a", java.util.Map.of(), 1, Optional.empty(), dev.lathe.protocol.event.ApprovalScope.PROJECT, child), true));
        asks.showNext();
        assertThat(err.toString()).contains("lathe: permission from child \"Fix ␛[2Jtests (@general subagent)\": bash: rm a").doesNotContain("\u001b");
    }
}
