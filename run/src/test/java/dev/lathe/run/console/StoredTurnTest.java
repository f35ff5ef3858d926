package dev.lathe.run.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A run whose events were lost reads its turn from the store a page at a time (issue 70): however long the session and
 * the turn, no read asks for more than a page, and the turn comes whole and in order.
 */
class StoredTurnTest {
    private static final SessionId S = new SessionId("ses_stored");

    private final List<MessageWithParts> history = new ArrayList<>();
    /** The limit of each read; -1 for a read of the whole history. */
    private final List<Integer> reads = new ArrayList<>();
    private final LatheApi api = (LatheApi) Proxy.newProxyInstance(LatheApi.class.getClassLoader(), new Class<?>[] {LatheApi.class},
            (self, method, args) -> {
                if (!method.getName().equals("messages")) throw new UnsupportedOperationException(method.getName());
                reads.add(args.length == 1 ? -1 : (int) args[1]);
                return args.length == 1 ? List.copyOf(history) : MessagePage.of(history, (int) args[1], cast(args[2]));
            });

    @Test
    void aLongTurnComesWholeAndInOrderAPageAtATime() {
        MessageId earlier = user();
        for (int i = 0; i < 40; i++) assistant(earlier, "earlier " + i);
        MessageId prompt = user();
        var answers = new ArrayList<String>();
        for (int i = 0; i < 100; i++) answers.add(assistant(prompt, "step " + i));

        var handed = new ArrayList<MessageWithParts>();
        StoredTurn.Found found = StoredTurn.read(api, S, Optional.of(prompt), handed::add);

        assertThat(found).isEqualTo(new StoredTurn.Found(true, 101));
        assertThat(handed.getFirst().info().id()).isEqualTo(prompt);
        assertThat(handed.subList(1, handed.size()).stream().map(StoredTurnTest::text).toList()).isEqualTo(answers);
        assertThat(reads).as("every read is a page").allMatch(limit -> limit > 0 && limit <= StoredTurn.PAGE);
        // back to the prompt, then forwards: the session's 40 earlier messages cost at most the prompt's page
        assertThat(reads.size()).isLessThanOrEqualTo(2 * (101 / StoredTurn.PAGE + 1));
    }

    /** Another client's prompt stored while the turn is read: the pages read again must not skip the turn's newest. */
    @Test
    void aTurnBegunWhileTheTurnIsReadNeitherHidesNorJoinsIt() {
        MessageId prompt = user();
        var answers = new ArrayList<String>();
        for (int i = 0; i < 3 * StoredTurn.PAGE; i++) answers.add(assistant(prompt, "step " + i));
        var later = new ArrayList<MessageWithParts>();
        var handed = new ArrayList<MessageWithParts>();
        StoredTurn.Found found = StoredTurn.read(api, S, Optional.of(prompt), m -> {
            handed.add(m);
            // after the first message is handed on, a new turn lands: 5 messages more than the walk saw
            if (later.isEmpty()) {
                MessageId next = user();
                later.add(history.getLast());
                for (int i = 0; i < 4; i++) assistant(next, "later " + i);
            }
        });
        assertThat(found.messages()).isEqualTo(1 + answers.size());
        assertThat(handed.subList(1, handed.size()).stream().map(StoredTurnTest::text).toList()).isEqualTo(answers);
    }

    /**
     * A prompt queued behind a running turn is stored before that turn's last answer (a steered message made it open a
     * new one): that answer is the turn it waited behind, not its own (issue 71, minor 15).
     */
    @Test
    void anAnswerToAnOlderPromptWrittenAfterAQueuedPromptIsNotItsTurn() {
        MessageId running = user();
        assistant(running, "the running turn's first answer");
        MessageId steered = user();
        MessageId queued = user();
        assistant(steered, "the running turn's last answer");
        assistant(queued, "the queued prompt's answer");
        var handed = new ArrayList<MessageWithParts>();
        assertThat(StoredTurn.read(api, S, Optional.of(queued), handed::add)).isEqualTo(new StoredTurn.Found(true, 2));
        assertThat(text(handed.getLast())).isEqualTo("the queued prompt's answer");
    }

    @Test
    void aTurnThatFitsOnOnePageIsOneRead() {
        MessageId prompt = user();
        assistant(prompt, "done");
        var handed = new ArrayList<MessageWithParts>();
        assertThat(StoredTurn.read(api, S, Optional.of(prompt), handed::add)).isEqualTo(new StoredTurn.Found(true, 2));
        assertThat(reads).hasSize(1);
    }

    @Test
    void aPromptTakenBackIsNotFoundAndNothingIsHandedOn() {
        MessageId earlier = user();
        for (int i = 0; i < 50; i++) assistant(earlier, "earlier " + i);
        MessageId refused = MessageId.next(); // a hook refused it: never stored
        var handed = new ArrayList<MessageWithParts>();
        assertThat(StoredTurn.read(api, S, Optional.of(refused), handed::add)).isEqualTo(new StoredTurn.Found(false, 0));
        assertThat(handed).isEmpty();
        // the newest page already begins before the prompt: no walk through the whole session
        assertThat(reads).hasSize(1);
    }

    @Test
    void withoutAPromptTheTurnIsWhatFollowsTheLastUserMessage() {
        MessageId first = user();
        assistant(first, "first");
        MessageId command = user(); // a command's turn: the run knows no prompt id
        for (int i = 0; i < 20; i++) assistant(command, "step " + i);
        var handed = new ArrayList<MessageWithParts>();
        assertThat(StoredTurn.read(api, S, Optional.empty(), handed::add)).isEqualTo(new StoredTurn.Found(true, 21));
        assertThat(handed.getFirst().info().id()).isEqualTo(command);
        assertThat(reads).allMatch(limit -> limit > 0 && limit <= StoredTurn.PAGE);
    }

    @Test
    void anEmptySessionHandsOnNothing() {
        assertThat(StoredTurn.read(api, S, Optional.empty(), m -> { })).isEqualTo(new StoredTurn.Found(true, 0));
        assertThat(StoredTurn.read(api, S, Optional.of(MessageId.next()), m -> { })).isEqualTo(new StoredTurn.Found(false, 0));
    }

    private MessageId user() {
        MessageId id = MessageId.next();
        history.add(new MessageWithParts(new UserMessage(id, S, 0, "build", "fake/m"), List.of()));
        return id;
    }

    private String assistant(MessageId parent, String text) {
        MessageId id = MessageId.next();
        var info = new AssistantMessage(id, S, parent, "build", "fake/m", 0, Optional.empty(), Optional.of("stop"), Optional.empty(), Usage.ZERO, 0);
        history.add(new MessageWithParts(info, List.of(new Part.Text(PartId.next(), S, id, text, false))));
        return text;
    }

    private static String text(MessageWithParts m) {
        return ((Part.Text) m.parts().getFirst()).text();
    }

    @SuppressWarnings("unchecked")
    private static Optional<MessageId> cast(Object before) {
        return (Optional<MessageId>) before;
    }
}
