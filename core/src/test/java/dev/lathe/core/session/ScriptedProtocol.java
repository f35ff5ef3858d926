package dev.lathe.core.session;

import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.LlmSink;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Provider;
import dev.lathe.llm.StopReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** A fake wire protocol for loop tests: replays scripted event lists in order and records every request. */
public final class ScriptedProtocol implements Protocol {
    /** A scripted response; {@code hang} waits for cancellation after emitting its events. */
    record Response(List<LlmEvent> events, boolean hang, Optional<CountDownLatch> gate, Optional<Thrown> thrown) {
        Response(List<LlmEvent> events, boolean hang) {
            this(events, hang, Optional.empty(), Optional.empty());
        }
    }

    /** What a response throws: an unchecked exception or an {@link Error}. */
    record Thrown(Throwable what) {
        void rethrow() {
            if (what instanceof RuntimeException r) throw r;
            throw (Error) what;
        }
    }

    private final Deque<Response> script = new ArrayDeque<>();
    public final List<LlmRequest> requests = new ArrayList<>();
    /** The thread each request was sent on. */
    final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final CountDownLatch hanging = new CountDownLatch(1);

    @Override public String id() { return "scripted"; }

    public synchronized ScriptedProtocol then(LlmEvent... events) {
        script.add(new Response(List.of(events), false));
        return this;
    }

    /** Counted down when a response added by {@link #thenAfter} waits for its gate: its request was sent. */
    final CountDownLatch gated = new CountDownLatch(1);

    /** A response whose events are streamed only once {@code gate} opens (a step still in flight meanwhile). */
    synchronized ScriptedProtocol thenAfter(CountDownLatch gate, LlmEvent... events) {
        script.add(new Response(List.of(events), false, Optional.of(gate), Optional.empty()));
        return this;
    }

    /** A response that streams {@code events}, then throws {@code error} (a class that failed to initialize, say). */
    synchronized ScriptedProtocol thenThrow(Throwable error, LlmEvent... events) {
        script.add(new Response(List.of(events), false, Optional.empty(), Optional.of(new Thrown(error))));
        return this;
    }

    /** A response that streams {@code events}, waits for the cancellation, then throws {@code error} on its way out. */
    synchronized ScriptedProtocol thenHangThenThrow(Throwable error, LlmEvent... events) {
        script.add(new Response(List.of(events), true, Optional.empty(), Optional.of(new Thrown(error))));
        return this;
    }

    public synchronized ScriptedProtocol thenHang(LlmEvent... events) {
        script.add(new Response(List.of(events), true));
        return this;
    }

    @Override
    public LlmEvent.Finished stream(Provider provider, LlmRequest request, LlmSink sink, Cancellation cancel) {
        Response next;
        threads.add(Thread.currentThread());
        synchronized (this) {
            requests.add(request);
            next = script.poll();
        }
        if (next == null) {
            var f = LlmEvent.Finished.failed(new LlmError.InvalidRequest(500, "no scripted response left"));
            sink.accept(f);
            return f;
        }
        if (next.gate().isPresent()) {
            gated.countDown();
            try {
                if (!next.gate().get().await(30, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("the gate never opened");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LlmEvent.Finished finished = LlmEvent.Finished.ok(StopReason.STOP);
        for (LlmEvent e : next.events()) {
            sink.accept(e);
            if (e instanceof LlmEvent.Finished f) finished = f;
        }
        if (next.hang()) {
            var done = new CountDownLatch(1);
            try (var _ = cancel.onCancel(done::countDown)) {
                hanging.countDown();
                done.await();
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
            if (next.thrown().isPresent()) next.thrown().get().rethrow();
            finished = LlmEvent.Finished.failed(new LlmError.Transport("cancelled"));
            sink.accept(finished);
        }
        if (next.thrown().isPresent()) next.thrown().get().rethrow();
        return finished;
    }

    public static LlmEvent failed(LlmError error) { return LlmEvent.Finished.failed(error); }

    public static LlmEvent text(String s) { return new LlmEvent.TextDelta(0, s); }

    public static LlmEvent[] call(int block, String id, String name, String args) {
        return new LlmEvent[] {new LlmEvent.ToolCallStarted(block, id, name), new LlmEvent.ToolCallArgsDelta(block, args),
                new LlmEvent.ToolCallFinished(block, id, name, args)};
    }

    public static LlmEvent finish(StopReason r) { return LlmEvent.Finished.ok(r); }
}
