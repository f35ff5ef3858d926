package dev.lathe.core.editor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.bus.EventBus;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EditorAnswer;
import dev.lathe.protocol.api.EditorAttachRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.event.EditorRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tools.EditorFiles;
import dev.lathe.tools.ToolFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attachment registry on a real event bus: a client subscription sees each request and answers it; what it
 * offers, detaching, a second attach, an abort and a subagent's session.
 */
class EditorAttachmentsTest {
    final EventBus bus = EventBus.standard();
    final EditorAttachments editors = new EditorAttachments(bus, Duration.ofSeconds(2));
    final Session session = session(Optional.empty());
    final LinkedBlockingQueue<EditorRequest> seen = new LinkedBlockingQueue<>();
    final AutoCloseable client = bus.subscribe(EventFilter.session(session.id()), 0, e -> {
        if (e.event() instanceof Event.EditorRequested r) seen.add(r.request());
    });

    @AfterEach
    void close() throws Exception {
        client.close();
    }

    static Session session(Optional<SessionId> parent) {
        return new Session(SessionId.next(), ProjectId.next(), "/work/p", parent, "t", "build", "fake/m", 0, 0, Optional.empty(), Usage.ZERO, 0,
                Optional.empty());
    }

    /** Runs {@code op} on a virtual thread and answers its request with {@code answer}. */
    <T> T answered(java.util.function.Supplier<T> op, EditorAnswer answer) throws Exception {
        var result = CompletableFuture.supplyAsync(op, r -> Thread.ofVirtual().start(r));
        EditorRequest request = seen.poll(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        editors.answer(request.id(), answer);
        return result.get(5, TimeUnit.SECONDS);
    }

    @Test
    void nothingIsAskedWithoutAnAttachmentOrForAnOperationItDoesNotOffer() {
        EditorFiles files = editors.files(session, new Cancellation());
        assertThat(files.read(Path.of("/work/p/a"))).isEqualTo(new EditorFiles.Read.NotOffered());
        editors.attach(session, EditorAttachRequest.offering(java.util.Set.of(dev.lathe.protocol.event.EditorRequest.Operation.READ)));
        assertThat(files.write(Path.of("/work/p/a"), "x")).isEqualTo(new EditorFiles.Write.NotOffered());
        assertThat(seen).isEmpty();
    }

    @Test
    void answersReachTheTool() throws Exception {
        var attached = editors.attach(session, EditorAttachRequest.readingAndWriting());
        EditorFiles files = editors.files(session, new Cancellation());
        assertThat(answered(() -> files.read(Path.of("/work/p/a")), EditorAnswer.text("buffer"))).isEqualTo(new EditorFiles.Read.Text("buffer"));
        assertThat(answered(() -> files.write(Path.of("/work/p/a"), "new"), EditorAnswer.saved())).isEqualTo(new EditorFiles.Write.Written());
        assertThat(answered(() -> files.write(Path.of("/work/p/a"), "new"), EditorAnswer.failed("read-only buffer")))
                .isEqualTo(new EditorFiles.Write.Failed("the editor answered: read-only buffer"));
        assertThat(answered(() -> files.read(Path.of("/work/p/b")), EditorAnswer.failed("gone")))
                .isEqualTo(new EditorFiles.Read.Failed("the editor answered: gone"));
        assertThat(attached.attachmentId()).startsWith("eda_");
    }

    @Test
    void anAnswerThatDoesNotFitTheOperationIsRefusedAndTheRequestStillWaits() throws Exception {
        editors.attach(session, EditorAttachRequest.readingAndWriting());
        EditorFiles files = editors.files(session, new Cancellation());
        var result = CompletableFuture.supplyAsync(() -> files.read(Path.of("/work/p/a")), r -> Thread.ofVirtual().start(r));
        EditorRequest request = seen.poll(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> editors.answer(request.id(), EditorAnswer.saved())).isInstanceOf(LatheException.InvalidInput.class);
        editors.answer(request.id(), EditorAnswer.text("t"));
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(new EditorFiles.Read.Text("t"));
        assertThatThrownBy(() -> editors.answer(request.id(), EditorAnswer.text("again"))).isInstanceOf(LatheException.NotFound.class);
        assertThatThrownBy(() -> editors.answer("que_x", EditorAnswer.text("again"))).isInstanceOf(LatheException.NotFound.class);
    }

    @Test
    void detachingOrAttachingAnotherEndsTheWaitAtOnce() throws Exception {
        editors.attach(session, EditorAttachRequest.readingAndWriting());
        EditorFiles files = editors.files(session, new Cancellation());
        var first = CompletableFuture.supplyAsync(() -> files.read(Path.of("/work/p/a")), r -> Thread.ofVirtual().start(r));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isNotNull();
        long started = System.nanoTime();
        editors.attach(session, EditorAttachRequest.readingAndWriting());
        assertThat(first.get(1, TimeUnit.SECONDS)).isInstanceOfSatisfying(EditorFiles.Read.Failed.class,
                f -> assertThat(f.why()).contains("another editor attached"));
        var second = CompletableFuture.supplyAsync(() -> files.write(Path.of("/work/p/a"), "x"), r -> Thread.ofVirtual().start(r));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isNotNull();
        editors.detach(session.id());
        assertThat(second.get(1, TimeUnit.SECONDS)).isInstanceOfSatisfying(EditorFiles.Write.Failed.class,
                f -> assertThat(f.why()).contains("detached"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(files.read(Path.of("/work/p/a"))).isEqualTo(new EditorFiles.Read.NotOffered());
    }

    @Test
    void aClientDetachingItsOwnAttachmentLeavesALaterOne() {
        var first = editors.attach(session, EditorAttachRequest.readingAndWriting());
        var second = editors.attach(session, EditorAttachRequest.offering(java.util.Set.of(dev.lathe.protocol.event.EditorRequest.Operation.READ)));
        editors.detach(session.id(), first.attachmentId());
        EditorFiles files = editors.files(session, new Cancellation());
        var read = CompletableFuture.supplyAsync(() -> files.read(Path.of("/work/p/a")), r -> Thread.ofVirtual().start(r));
        EditorRequest request;
        try {
            request = seen.poll(5, TimeUnit.SECONDS);
            assertThat(request.attachmentId()).isEqualTo(second.attachmentId());
            editors.answer(request.id(), EditorAnswer.text("second's"));
            assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(new EditorFiles.Read.Text("second's"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        editors.detach(session.id(), second.attachmentId());
        assertThat(files.read(Path.of("/work/p/a"))).isEqualTo(new EditorFiles.Read.NotOffered());
    }

    @Test
    void anUnansweredRequestTimesOutAndDetaches() {
        editors.attach(session, EditorAttachRequest.readingAndWriting());
        EditorFiles files = editors.files(session, new Cancellation());
        assertThat(files.read(Path.of("/work/p/a"))).isInstanceOfSatisfying(EditorFiles.Read.Failed.class,
                f -> assertThat(f.why()).contains("did not answer within 2 s"));
        assertThat(files.write(Path.of("/work/p/a"), "x")).isEqualTo(new EditorFiles.Write.NotOffered());
        assertThat(seen).hasSize(1);
    }

    @Test
    void anAbortEndsTheWaitAsAnAbort() throws Exception {
        editors.attach(session, EditorAttachRequest.readingAndWriting());
        var cancel = new Cancellation();
        EditorFiles files = editors.files(session, cancel);
        var result = CompletableFuture.supplyAsync(() -> files.read(Path.of("/work/p/a")), r -> Thread.ofVirtual().start(r));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isNotNull();
        cancel.cancel();
        assertThatThrownBy(() -> result.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(ToolFailure.class).hasMessageContaining("aborted");
    }

    @Test
    void aSubagentsSessionUsesItsParentsEditor() throws Exception {
        editors.attach(session, EditorAttachRequest.readingAndWriting());
        Session child = session(Optional.of(session.id()));
        EditorFiles files = editors.files(child, new Cancellation());
        assertThat(answered(() -> files.read(Path.of("/work/p/a")), EditorAnswer.text("parent's buffer")))
                .isEqualTo(new EditorFiles.Read.Text("parent's buffer"));
    }

    @Test
    void withoutAClientStreamNothingIsPublished() throws Exception {
        client.close();
        // an observer inside the server (plugins) is no client
        try (var _ = bus.watch(EventFilter.ALL, e -> {})) {
            editors.attach(session, EditorAttachRequest.readingAndWriting());
            long started = System.nanoTime();
            assertThat(editors.files(session, new Cancellation()).read(Path.of("/work/p/a"))).isEqualTo(new EditorFiles.Read.NotOffered());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void onlyFilesInsideTheSessionsDirectoryGoToTheEditor(@org.junit.jupiter.api.io.TempDir Path temp) throws Exception {
        Path project = java.nio.file.Files.createDirectories(temp.resolve("project"));
        Path outside = java.nio.file.Files.createDirectories(temp.resolve("outside"));
        java.nio.file.Files.writeString(outside.resolve("secret"), "s");
        java.nio.file.Files.createSymbolicLink(project.resolve("link"), outside);
        Session real = new Session(SessionId.next(), ProjectId.next(), project.toString(), Optional.empty(), "t", "build", "fake/m", 0, 0,
                Optional.empty(), Usage.ZERO, 0, Optional.empty());
        try (var _ = bus.subscribe(EventFilter.session(real.id()), 0, e -> {
            if (e.event() instanceof Event.EditorRequested r) seen.add(r.request());
        })) {
            editors.attach(real, EditorAttachRequest.readingAndWriting());
            EditorFiles files = editors.files(real, new Cancellation());
            // outside the project (an external_directory allow), through a link out of it, and a sibling sharing its prefix
            assertThat(files.read(outside.resolve("secret"))).isEqualTo(new EditorFiles.Read.NotOffered());
            assertThat(files.write(project.resolve("link/secret"), "x")).isEqualTo(new EditorFiles.Write.NotOffered());
            assertThat(files.read(project.resolve("../outside/secret"))).isEqualTo(new EditorFiles.Read.NotOffered());
            assertThat(files.write(Path.of(project + "-other/new.txt"), "x")).isEqualTo(new EditorFiles.Write.NotOffered());
            assertThat(seen).isEmpty();
            // a file inside, even one not written yet, still goes to the editor
            assertThat(answered(() -> files.write(project.resolve("src/new.txt"), "n"), EditorAnswer.saved())).isEqualTo(new EditorFiles.Write.Written());
        }
    }

    @Test
    void aWritesEventCarriesItsSizeAndTheContentIsFetchedWhileItWaits() throws Exception {
        editors.attach(session, EditorAttachRequest.readingAndWriting());
        EditorFiles files = editors.files(session, new Cancellation());
        var result = CompletableFuture.supplyAsync(() -> files.write(Path.of("/work/p/a"), "héllo"), r -> Thread.ofVirtual().start(r));
        EditorRequest event = seen.poll(5, TimeUnit.SECONDS);
        assertThat(event.content()).isEmpty();
        assertThat(event.size()).isEqualTo(6);
        // nor does the replay ring hold the text: a client resuming from before sees the same event
        var replayed = new LinkedBlockingQueue<Event>();
        try (var _ = bus.subscribe(EventFilter.ALL, bus.lastSeq() - 1, e -> replayed.add(e.event()))) {
            assertThat(replayed.poll(5, TimeUnit.SECONDS)).isEqualTo(new Event.EditorRequested(event));
        }
        assertThat(editors.pending(event.id()).content()).contains("héllo");
        editors.answer(event.id(), EditorAnswer.saved());
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(new EditorFiles.Write.Written());
        assertThatThrownBy(() -> editors.pending(event.id())).isInstanceOf(LatheException.NotFound.class);
    }
}
