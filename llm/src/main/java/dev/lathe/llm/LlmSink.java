package dev.lathe.llm;

/** Receives the events of one response in order, on the thread that called {@link Protocol#stream}. */
@FunctionalInterface
public interface LlmSink {
    void accept(LlmEvent event);
}
