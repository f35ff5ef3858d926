package dev.lathe.bench;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.anthropic.AnthropicEncodeAccess;
import dev.lathe.llm.bedrock.BedrockEncodeAccess;
import dev.lathe.llm.gemini.GeminiEncodeAccess;
import dev.lathe.llm.openai.OpenAiChatEncodeAccess;
import dev.lathe.llm.responses.ResponsesEncodeAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A 40-message conversation (20 tool-call / tool-result rounds, 8 tools) encoded to each protocol's request body. Score: requests/s. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RequestEncodeBench {
    @Param({"anthropic-messages", "openai-chat", "openai-responses", "gemini", "bedrock-converse"})
    public String protocol;

    private Function<LlmRequest, byte[]> encoder;
    private LlmRequest request;

    @Setup
    public void build() {
        encoder = switch (protocol) {
            case "anthropic-messages" -> AnthropicEncodeAccess::encode;
            case "openai-chat" -> OpenAiChatEncodeAccess::encode;
            case "openai-responses" -> ResponsesEncodeAccess::encode;
            case "gemini" -> GeminiEncodeAccess::encode;
            case "bedrock-converse" -> BedrockEncodeAccess::encode;
            default -> throw new IllegalArgumentException(protocol);
        };
        request = conversation(40);
    }

    @Benchmark
    public byte[] encode() {
        return encoder.apply(request);
    }

    static LlmRequest conversation(int messages) {
        List<ToolSpec> tools = new ArrayList<>();
        for (String name : List.of("read", "write", "edit", "bash", "grep", "glob", "webfetch", "task")) {
            tools.add(new ToolSpec(name, "The " + name + " tool. " + "Use it when the task needs it; it returns plain text. ".repeat(6),
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\",\"description\":\"absolute path\"},"
                            + "\"offset\":{\"type\":\"integer\"},\"limit\":{\"type\":\"integer\"}},\"required\":[\"path\"]}"));
        }
        List<LlmMessage> conv = new ArrayList<>();
        conv.add(LlmMessage.user(List.of(new Content.Text("Fix the failing test in src/test/java/FooTest.java and run the build."))));
        String fileBody = "    public int add(int a, int b) {\n        return a + b;\n    }\n".repeat(40);
        for (int i = 0; conv.size() < messages; i++) {
            String id = "call_" + i;
            conv.add(LlmMessage.assistant(List.of(new Content.Reasoning("I should look at file " + i + " next.", Optional.of("sig" + i)),
                    new Content.Text("Reading file " + i + "."),
                    new Content.ToolCall(id, "read", "{\"path\":\"/work/project/src/main/java/Foo" + i + ".java\",\"offset\":1,\"limit\":200}"))));
            if (conv.size() < messages) {
                conv.add(LlmMessage.user(List.of(new Content.ToolResult(id, "read", fileBody, i % 7 == 3))));
            }
        }
        return new LlmRequest("model-x", List.of("You are Lathe, a coding agent. ".repeat(60), "Project instructions: use Maven. ".repeat(20)),
                tools, conv, 8192, ToolChoice.AUTO, Optional.empty(), Optional.of("ses_bench"));
    }
}
