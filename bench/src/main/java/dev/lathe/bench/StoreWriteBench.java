package dev.lathe.bench;

import dev.lathe.core.session.inbox.Inbox;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.Storage;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link MessageStore#upsertPart} into a real SQLite file in a temp folder (the store's own pragmas and migrations):
 * a streaming text part rewritten in place, and new completed tool parts inserted. Score: parts/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class StoreWriteBench {
    private Path dir;
    private Storage storage;
    private MessageStore messages;
    private SessionId session;
    private MessageId assistant;
    private PartId streamingPart;
    private String text = "";
    private int n;

    @Setup
    public void open() throws IOException {
        dir = Files.createTempDirectory("lathe-bench-store");
        storage = SqliteStorage.over(Db.open(dir.resolve("lathe.db")));
        var projects = storage.projects();
        var sessions = storage.sessions();
        messages = storage.messages();
        session = SessionId.next();
        sessions.insert(new Session(session, projects.idFor("/work/project"), "/work/project", Optional.empty(), "bench", "build", "a/b", 1, 1,
                Optional.empty(), Usage.ZERO, 0, Optional.empty()));
        var user = Inbox.message(session, "build", "a/b");  // the one maker of a session's user message (decision 537)
        messages.insertUser(user, List.of(new Part.Text(PartId.next(), session, user.id(), "Fix the failing test.", false)));
        var reply = new AssistantMessage(MessageId.next(), session, user.id(), "build", "a/b", 2, Optional.empty(), Optional.empty(),
                Optional.empty(), Usage.ZERO, 0);
        messages.upsertAssistant(reply);
        assistant = reply.id();
        streamingPart = PartId.next();
    }

    @TearDown
    public void close() throws IOException {
        storage.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The streaming text part grows by one delta and is written again (kept under 4 KiB, as a flushed chunk would be). */
    @Benchmark
    public void updateStreamingText() {
        text = text.length() > 4_000 ? "" : text + "some more streamed words ";
        messages.upsertPart(new Part.Text(streamingPart, session, assistant, text, false));
    }

    @Benchmark
    public void insertToolPart() {
        int i = n++;
        messages.upsertPart(new Part.Tool(PartId.next(), session, assistant, "call_" + i, "read",
                new ToolState.Completed(new RawJson("{\"path\":\"src/Foo" + i + ".java\"}"), "1\tpackage demo;\n2\tclass Foo {}\n", "Foo.java",
                        Map.of(), 3, 4), Map.of()));
    }
}
