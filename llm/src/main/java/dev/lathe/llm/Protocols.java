package dev.lathe.llm;

import dev.lathe.llm.anthropic.AnthropicMessages;
import dev.lathe.llm.bedrock.BedrockConverse;
import dev.lathe.llm.gemini.Gemini;
import dev.lathe.llm.http.EventStreamTransport;
import dev.lathe.llm.http.SseTransport;
import dev.lathe.llm.openai.OpenAiChat;
import dev.lathe.llm.responses.OpenAiResponses;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The wire protocols by id. */
public final class Protocols {
    private final Map<String, Protocol> byId;

    private Protocols(Map<String, Protocol> byId) {
        this.byId = Map.copyOf(byId);
    }

    /** Every protocol Lathe speaks, sharing one HTTP client. */
    public static Protocols standard(HttpClient http) {
        var transport = new SseTransport(http);
        return of(Map.of(OpenAiChat.ID, new OpenAiChat(transport), AnthropicMessages.ID, new AnthropicMessages(transport),
                OpenAiResponses.ID, new OpenAiResponses(transport), Gemini.ID, new Gemini(transport),
                BedrockConverse.ID, new BedrockConverse(new EventStreamTransport(http))));
    }

    /** A registry of the given protocols (tests use it to plug in a scripted one). */
    public static Protocols of(Map<String, Protocol> byId) { return new Protocols(byId); }

    public Optional<Protocol> find(String id) { return Optional.ofNullable(byId.get(id)); }

    public Set<String> ids() { return new TreeMap<>(byId).keySet(); }
}
