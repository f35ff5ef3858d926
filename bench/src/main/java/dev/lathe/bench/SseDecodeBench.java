package dev.lathe.bench;

import dev.lathe.llm.Codec;
import dev.lathe.llm.Codecs;
import dev.lathe.llm.debug.RecordedStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One recorded provider stream per protocol (copied from llm's golden fixtures into {@code streams/}), split into its
 * SSE payloads and decoded into normalised events, the way {@code lathe debug decode} does it. Score: streams/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SseDecodeBench {
    @Param({"anthropic-messages", "openai-chat", "openai-responses", "gemini", "bedrock-converse"})
    public String protocol;

    private Codec codec;
    private String recording;

    @Setup
    public void load() throws IOException {
        codec = Codecs.find(protocol).orElseThrow();
        recording = resource("/streams/" + protocol + ".txt");
    }

    @Benchmark
    public void decodeStream(Blackhole bh) {
        bh.consume(RecordedStream.decode(codec, RecordedStream.payloads(recording)));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = SseDecodeBench.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
