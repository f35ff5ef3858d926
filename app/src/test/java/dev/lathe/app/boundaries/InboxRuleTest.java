package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One inbox per session (issue 71, decision 521): whatever arrives in a session enters through {@code Inbox.deliver}.
 * Code that goes around it is found here, in every module's main sources, by what it must do to get in: make a user
 * message ({@code new UserMessage(}) or queue a session for a node (the cluster's {@code SessionLeases.queue}). Files
 * are named by module and file name, not by package, so moving a file between packages keeps its place here.
 */
class InboxRuleTest {
    /** A user-role message made: what every door of a session did for itself before the inbox. */
    static final Pattern NEW_USER_MESSAGE = Pattern.compile("\\bnew\\s+UserMessage\\s*\\(");

    /** A call of a {@code queue} method with an argument ({@code s.queue()} of an accessor aside), or a reference to one. */
    static final Pattern LEASE_QUEUE = Pattern.compile("\\.\\s*queue\\s*\\(\\s*[^)\\s]|::\\s*queue\\b");

    /** The queue classes the inbox replaced: nothing of that name comes back. */
    static final Pattern GONE = Pattern.compile("\\b(?:class|record|interface|enum)\\s+(?:QueuedPrompts|QueuedTurns|QueuedAtStart)\\b");

    /**
     * The files that may make a user message, each with why: three, all in core, which runs the sessions (issue 71).
     * What only needs one (the codec's warm-up, the store benchmark) takes it from {@code Inbox.message} or reads it
     * from its stored form (decision 537).
     */
    static final Map<String, String> MAY_MAKE_A_USER_MESSAGE = Map.of(
            "core/Inbox.java", "the one door: every arrival's message, and the messages a turn writes for itself (Inbox.message)",
            "core/Forks.java", "a fork copies stored history into a new session; nothing arrives",
            "core/TranscriptBuilder.java", "an import rebuilds another harness's stored history; nothing arrives");

    /** The one place a session is queued for the node that may run it. */
    static final String QUEUES = "core/Inbox.java";

    /** A main source file as this rule names it ({@code MODULE/FILE.java}) with the lines the pattern found in it. */
    record Found(String file, List<WiringTest.Hit> hits) {}

    static List<Found> find(Path root, Pattern pattern) {
        try (Stream<Path> modules = Files.list(root)) {
            return modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).sorted()
                    .flatMap(m -> WiringTest.find(root, WiringTest.javaFiles(m.resolve("src/main/java")), pattern).stream()
                            .collect(java.util.stream.Collectors.groupingBy(h -> m.getFileName() + "/" + h.file().getFileName(), java.util.TreeMap::new,
                                    java.util.stream.Collectors.toList()))
                            .entrySet().stream().map(e -> new Found(e.getKey(), e.getValue())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> files(List<Found> found) {
        return found.stream().map(Found::file).toList();
    }

    @Test
    void userMessagesAreMadeOnlyByTheInboxAndWhatCopiesStoredHistory() {
        List<Found> found = find(ModuleBoundariesTest.repositoryRoot(), NEW_USER_MESSAGE);
        assertThat(found).as("a user message made around the inbox: deliver an Arrival (Inbox.deliver), or make it with Inbox.message")
                .allSatisfy(f -> assertThat(MAY_MAKE_A_USER_MESSAGE).containsKey(f.file()));
        assertThat(found).as("main files making a user message, in every module (issue 71: at most 3)").hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void sessionsAreQueuedForANodeInOnePlace() {
        List<Found> found = find(ModuleBoundariesTest.repositoryRoot(), LEASE_QUEUE);
        assertThat(found).as("a session queued for a node around the inbox: deliver an Arrival (Inbox.deliver) or wake it (Inbox.wake)")
                .extracting(Found::file).containsExactly(QUEUES);
        assertThat(found.getFirst().hits()).as("one lease-queue call").hasSize(1);
    }

    @Test
    void theQueueClassesTheInboxReplacedStayGone() {
        assertThat(find(ModuleBoundariesTest.repositoryRoot(), GONE)).as("QueuedPrompts and QueuedTurns are InboxHistory now, QueuedAtStart Inbox.resumeQueued").isEmpty();
    }

    @Test
    void findsADoorAroundTheInbox(@TempDir Path root) throws IOException {
        Path session = Files.createDirectories(root.resolve("core/src/main/java/x"));
        Files.writeString(session.resolve("Inbox.java"), """
                class Inbox {
                    Object m() { return new UserMessage(id, session, 1, "build", "p/m"); }
                    void wake(Object id) { leases.queue(id); }
                }
                """);
        Files.writeString(session.resolve("Pager.java"), """
                class Pager {
                    // new UserMessage(id) in a comment, and "leases.queue(id)" in a string, do not count
                    String s = "leases.queue(id)";
                    Object m() { return new UserMessage (id, session, 1, "build", "p/m"); }
                    Object wake = cluster.leases()::queue;
                    Object q = listener.queue().offer(event);
                }
                final class QueuedTurns {}
                """);
        Files.createDirectories(root.resolve("tui/src/main/java"));

        assertThat(files(find(root, NEW_USER_MESSAGE))).containsExactly("core/Inbox.java", "core/Pager.java");
        assertThat(find(root, LEASE_QUEUE)).satisfiesExactly(
                inbox -> assertThat(inbox.file()).isEqualTo("core/Inbox.java"),
                pager -> assertThat(pager.hits()).extracting(WiringTest.Hit::line).containsExactly(5));
        assertThat(files(find(root, GONE))).containsExactly("core/Pager.java");
    }
}
