package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.Restore;
import dev.lathe.protocol.api.RewindRequest;
import dev.lathe.protocol.api.RewindResult;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageRewound;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.view.Picker;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /rewind} in the terminal UI, against a stand-in server: the prompt picker, what to restore, outside edits. */
class RewindCommandTest {
    private static final SessionId S = new SessionId("ses_rewind");
    private static final Session SESSION = new Session(S, new ProjectId("prj_1"), "/tmp/p", Optional.empty(), "t", "build", "fake/m", 0, 0,
            Optional.empty(), Usage.ZERO, 0, Optional.empty());

    private final List<MessageWithParts> history = new ArrayList<>();
    private final ConcurrentLinkedQueue<Object> rewindAnswers = new ConcurrentLinkedQueue<>();
    private final List<RewindRequest> sent = new CopyOnWriteArrayList<>();
    private final FakeHost host = new FakeHost();

    @AfterEach
    void close() {
        host.thread.shutdownNow();
    }

    @Test
    void thePickerListsTheUsersPromptsNewestFirstWithoutRewoundOnesOrLathesOwnText() {
        MessageId first = prompt("fix the build");
        answer(first);
        MessageId rewound = prompt("try something else");
        history.add(new MessageWithParts(history.removeLast().info(), List.of(text(rewound, "try something else", false), text(rewound, MessageRewound.TEXT, true))));
        MessageId second = prompt("now the tests\nand more");
        // a background task's result, delivered as a user message marked as no one's typing (issue 82): not a prompt
        MessageId result = prompt(dev.lathe.protocol.session.TaskResult.text("ses_child", "completed", "all green"));
        history.add(new MessageWithParts(history.removeLast().info(), List.of(
                text(result, dev.lathe.protocol.session.TaskResult.text("ses_child", "completed", "all green"), false),
                text(result, dev.lathe.protocol.session.TaskResult.TEXT, true))));

        assertThat(RewindCommand.prompts(history)).extracting(RewindCommand.Prompt::id).containsExactly(second, first);
    }

    @Test
    void choosingAPromptAndBothSendsTheRewindAndFilesChangedOutsideAreAskedAbout() throws Exception {
        MessageId first = prompt("fix the build");
        answer(first);
        MessageId second = prompt("now the tests");
        answer(second);
        rewindAnswers.add(new LatheException.Conflict("1 file changed outside the agent since then: notes.md. Rewind again with \"confirm\": true to restore them too, or \"confirm\": false to keep them as they are"));
        rewindAnswers.add(new RewindResult(SESSION, List.of("a.txt"), List.of("notes.md"), List.of(second, MessageId.next())));
        var rewind = new RewindCommand(host);

        host.onUi(rewind::run);
        host.choose(0);  // the newest prompt
        assertThat(host.pickerTitle).contains("now the tests");
        host.choose(0);  // code and conversation
        await(() -> host.pickerTitle.startsWith("Files changed outside the agent"));
        assertThat(host.said()).contains("1 file changed outside the agent since then: notes.md").doesNotContain("confirm");
        host.choose(0);  // keep them: offered first
        await(() -> host.said().contains("Rewound to before"));

        assertThat(sent).containsExactly(RewindRequest.to(second, Restore.both), RewindRequest.to(second, Restore.both).keepingOutsideEdits());
        assertThat(host.said()).contains("restored a.txt", "kept notes.md", "2 messages rewound");
        assertThat(host.offered).isEqualTo("now the tests");
    }

    @Test
    void summariseFromHereSendsItAndLeavesTheInputAlone() throws Exception {
        MessageId first = prompt("fix the build");
        answer(first);
        rewindAnswers.add(new RewindResult(SESSION, List.of(), List.of(), List.of(first, MessageId.next()), Optional.of(MessageId.next())));
        var rewind = new RewindCommand(host);

        host.onUi(rewind::run);
        host.choose(0);
        host.choose(3);  // summarise from here
        await(() -> host.said().contains("Summarised from"));

        assertThat(sent).containsExactly(RewindRequest.to(first, Restore.summarise));
        assertThat(host.said()).contains("2 messages summarised").doesNotContain("restored", "no files");
        assertThat(host.offered).as("the summarised work is kept, not retyped").isNull();
    }

    @Test
    void aSessionWithoutPromptsSaysSoAndOpensNothing() throws Exception {
        host.onUi(new RewindCommand(host)::run);
        assertThat(host.said()).contains("no prompt of yours yet");
        assertThat(host.picker).isNull();
    }

    private MessageId prompt(String typed) {
        MessageId id = MessageId.next();
        history.add(new MessageWithParts(new UserMessage(id, S, 0, "build", "fake/m"), List.of(text(id, typed, false))));
        return id;
    }

    private void answer(MessageId prompt) {
        MessageId id = MessageId.next();
        history.add(new MessageWithParts(new AssistantMessage(id, S, prompt, "build", "fake/m", 0, Optional.of(1L), Optional.of("stop"), Optional.empty(),
                Usage.ZERO, 0), List.of(text(id, "done", false))));
    }

    private static Part.Text text(MessageId m, String text, boolean synthetic) {
        return new Part.Text(PartId.next(), S, m, text, synthetic);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(10);
        }
    }

    private final class FakeHost implements RewindCommand.Host {
        final ExecutorService thread = Executors.newSingleThreadExecutor();
        final List<String> notices = new CopyOnWriteArrayList<>();
        volatile Picker<?> picker;
        volatile Consumer<Object> onChoice;
        volatile String pickerTitle = "";
        volatile String offered;
        final LatheApi api = (LatheApi) Proxy.newProxyInstance(LatheApi.class.getClassLoader(), new Class<?>[] {LatheApi.class}, (self, method, args) ->
                switch (method.getName()) {
                    case "messages" -> List.copyOf(history);
                    case "rewind" -> {
                        sent.add((RewindRequest) args[1]);
                        Object next = rewindAnswers.poll();
                        if (next instanceof RuntimeException e) throw e;
                        yield next;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        void onUi(Runnable work) throws Exception {
            thread.submit(work).get();
        }

        void choose(int row) throws Exception {
            onUi(() -> {
                picker.select(row);
                Object value = picker.chosen().orElseThrow();
                picker = null;
                onChoice.accept(value);
            });
        }

        String said() {
            return String.join("\n", notices);
        }

        @Override public LatheApi api() { return api; }
        @Override public String directory() { return "/tmp/p"; }
        @Override public Theme theme() { return Theme.plain(); }
        @Override public void notice(String text) { notices.add(text); }
        @Override public void notice(List<AttributedString> lines) { lines.forEach(l -> notices.add(l.toString())); }
        @Override public void error(String text) { notices.add("✗ " + text); }
        @Override public void later(Runnable followUp) { thread.submit(followUp); }
        @Override public Optional<Session> session() { return Optional.of(SESSION); }

        @Override
        public void openPicker(Picker<?> p, Consumer<Object> choice) {
            picker = p;
            onChoice = choice;
            pickerTitle = p.render(Theme.plain(), 200).getFirst().toString().strip();
        }

        @Override public void offerInput(String text, String hint) { offered = text; }
    }
}
