package dev.lathe.llm;

import dev.lathe.llm.anthropic.AnthropicCodec;
import dev.lathe.llm.bedrock.BedrockCodec;
import dev.lathe.llm.gemini.GeminiCodec;
import dev.lathe.llm.openai.OpenAiChatCodec;
import dev.lathe.llm.responses.ResponsesCodec;
import java.util.List;
import java.util.Optional;

/** The pure decoders of every wire protocol, by protocol id. */
public final class Codecs {
    private static final List<Codec> ALL = List.of(new OpenAiChatCodec(), new AnthropicCodec(), new ResponsesCodec(), new GeminiCodec(),
            new BedrockCodec());

    private Codecs() {}

    public static Optional<Codec> find(String protocol) {
        return ALL.stream().filter(c -> c.protocol().equals(protocol)).findFirst();
    }

    public static List<String> ids() { return ALL.stream().map(Codec::protocol).sorted().toList(); }
}
