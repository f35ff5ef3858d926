package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 52: what waits for a subscriber of events is held in two places only, both bounded in bytes: the bus's
 * {@code Subscriber} (events, {@code EventBus.SUBSCRIBER_WEIGHT}) and, for an SSE connection, its {@code FrameBuffer}
 * (encoded frames, {@code server.eventBufferBytes}). The server subscribes only through {@code EventStream}, and no
 * other queue of the server or the bus may buffer for a reader (a queue with no bound in bytes is how a slow reader
 * held ~190 MB). Read from the sources, comments and strings blanked.
 */
class EventBufferRuleTest {
    /** A subscription to the API's events. */
    static final Pattern SUBSCRIBE = Pattern.compile("\\.\\s*subscribe\\s*\\(");

    /** A queue that could buffer for a reader without a bound in bytes. */
    static final Pattern QUEUE = Pattern.compile("\\bnew\\s+(?:[a-z]\\w*\\.)*(?:LinkedBlockingQueue|LinkedBlockingDeque|ConcurrentLinkedQueue|ConcurrentLinkedDeque"
            + "|ArrayBlockingQueue|LinkedTransferQueue|PriorityBlockingQueue)\\b");

    static List<WiringTest.Hit> subscriptionsAroundTheStream(Path root) {
        return WiringTest.find(root, WiringTest.javaFiles(root.resolve("server/src/main/java"))
                .filter(f -> !f.getFileName().toString().equals("EventStream.java")), SUBSCRIBE);
    }

    static List<WiringTest.Hit> unboundedQueues(Path root) {
        return WiringTest.find(root, Stream.concat(WiringTest.javaFiles(root.resolve("server/src/main/java")),
                WiringTest.javaFiles(root.resolve("core/src/main/java/dev/lathe/core/bus"))), QUEUE);
    }

    @Test
    void theServerSubscribesOnlyThroughTheBoundedStream() {
        assertThat(subscriptionsAroundTheStream(ModuleBoundariesTest.repositoryRoot()))
                .as("a subscription to events outside EventStream: serve events through EventStream, whose buffers are bounded in bytes")
                .isEmpty();
    }

    @Test
    void noQueueOfTheServerOrTheBusBuffersForAReaderWithoutABoundInBytes() {
        assertThat(unboundedQueues(ModuleBoundariesTest.repositoryRoot()))
                .as("a queue in the server or the bus: what waits for a reader goes in Subscriber or FrameBuffer, bounded in bytes")
                .isEmpty();
    }

    @Test
    void findsASubscriptionAndAQueueThatGoAroundTheBounds(@TempDir Path root) throws IOException {
        Path server = Files.createDirectories(root.resolve("server/src/main/java/x"));
        Files.writeString(server.resolve("Relay.java"), """
                final class Relay {
                    final java.util.Queue<Object> q = new java.util.concurrent.LinkedBlockingQueue<>(); // new ArrayDeque
                    AutoCloseable a(Api api) { return api.subscribe(f, 0, q::add); }
                }
                """);
        Files.writeString(server.resolve("EventStream.java"), "final class EventStream { Object a(Api api) { return api.subscribe(f, 0, l); } }\n");

        assertThat(subscriptionsAroundTheStream(root)).extracting(WiringTest.Hit::line).containsExactly(3);
        assertThat(unboundedQueues(root)).extracting(WiringTest.Hit::line).containsExactly(2);
    }
}
