package dev.lathe.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One request the fake model received, with helpers that read it the same way in every protocol (the Responses API's
 * {@code input} items count as its messages). {@code headers} keys
 * are lower case.
 */
public record RecordedRequest(String path, Map<String, String> headers, String body, long receivedAtNanos) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public boolean isAnthropic() { return path.endsWith("/messages"); }

    public boolean isResponses() { return path.endsWith("/responses"); }

    /** The conversation as sent: {@code messages}, or the Responses API's {@code input}. */
    private JsonNode conversation() { return json().path(isResponses() ? "input" : "messages"); }

    private static boolean isSystem(JsonNode m) {
        String role = m.path("role").asString("");
        return role.equals("system") || role.equals("developer");
    }

    public JsonNode json() { return JSON.readTree(body); }

    public String model() { return json().path("model").asString(); }

    /** The system prompt text (Anthropic {@code system} blocks, or the chat {@code system} messages), blocks joined by newlines. */
    public String system() {
        JsonNode root = json();
        List<String> parts = new ArrayList<>();
        if (isAnthropic()) {
            JsonNode system = root.path("system");
            if (system.isString()) parts.add(system.asString());
            for (JsonNode block : system) parts.add(block.path("text").asString());
        } else {
            for (JsonNode m : conversation()) if (isSystem(m)) parts.add(text(m.path("content")));
        }
        return String.join("\n", parts);
    }

    /** Names of the tools offered, in request order. */
    public List<String> toolNames() {
        List<String> out = new ArrayList<>();
        for (JsonNode t : json().path("tools")) out.add(t.has("function") ? t.path("function").path("name").asString() : t.path("name").asString());
        return out;
    }

    /** Non-system messages as sent. */
    public List<JsonNode> messages() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : conversation()) if (!isSystem(m)) out.add(m);
        return out;
    }

    /** The text of the tool result answering {@code callId}, in either protocol's shape. */
    public Optional<String> toolResult(String callId) {
        for (JsonNode m : conversation()) {
            if (m.path("type").asString("").equals("function_call_output") && m.path("call_id").asString().equals(callId)) {
                return Optional.of(m.path("output").asString());
            }
            if (isAnthropic()) {
                for (JsonNode block : m.path("content")) {
                    if (block.path("type").asString().equals("tool_result") && block.path("tool_use_id").asString().equals(callId)) {
                        return Optional.of(text(block.path("content")));
                    }
                }
            } else if (m.path("role").asString().equals("tool") && m.path("tool_call_id").asString().equals(callId)) {
                return Optional.of(text(m.path("content")));
            }
        }
        return Optional.empty();
    }

    /** Whether the tool result for {@code callId} is marked as an error (Anthropic only; chat has no flag). */
    public boolean toolResultIsError(String callId) {
        for (JsonNode m : json().path("messages")) {
            for (JsonNode block : m.path("content")) {
                if (block.path("tool_use_id").asString().equals(callId)) return block.path("is_error").asBoolean(false);
            }
        }
        return false;
    }

    /** Text of the last user message (text blocks only). */
    public String lastUserText() {
        List<JsonNode> messages = messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).path("role").asString().equals("user")) {
                String t = text(messages.get(i).path("content"));
                if (!t.isEmpty()) return t;
            }
        }
        return "";
    }

    /** A string content, or the text blocks of an array content, joined by newlines. */
    static String text(JsonNode content) {
        if (content.isString()) return content.asString();
        List<String> parts = new ArrayList<>();
        for (JsonNode block : content) if (block.has("text")) parts.add(block.path("text").asString());
        return String.join("\n", parts);
    }
}
