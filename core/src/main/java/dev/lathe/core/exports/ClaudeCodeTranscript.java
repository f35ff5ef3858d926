package dev.lathe.core.exports;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Attachment;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One session as the records Claude Code writes to its transcript ({@code ~/.claude/projects/FOLDER/UUID.jsonl}) and
 * reads back on {@code claude --resume}, as 2.1.330 writes them: each record has {@code parentUuid} (the record
 * before it, a chain from {@code null}), {@code isSidechain}, {@code type}, {@code message}, {@code uuid},
 * {@code timestamp}, {@code userType}, {@code entrypoint}, {@code cwd}, {@code sessionId} and {@code version}. A
 * prompt is a {@code user} record; an answer is one {@code assistant} record per content block (text, tool_use) sharing
 * the message's id; each tool result is a {@code user} record holding a {@code tool_result} block, after the calls of
 * its step. Reasoning is not carried: Claude Code would send it back to a model that did not sign it.
 *
 * <p>Each chained record also carries {@code "lathe": {"session": ID}} (an answer's adds {@code "model": "provider/model"}):
 * Claude Code keeps the records it resumed from as they are and appends its own after them, so {@code lathe import}
 * knows the session Lathe exported, the records that are Lathe's (a prefix) and the model that wrote each (decision 640).
 */
final class ClaudeCodeTranscript {
    private final String sessionId;
    private final String latheSession;
    private final String cwd;
    private final Optional<String> version;
    private final Optional<String> agentId;
    private final UnaryOperator<String> mask;
    private final NotCarried notCarried;
    private final List<ObjectNode> records = new ArrayList<>();
    private String parent;
    private int answers;

    /**
     * @param latheSession the Lathe session these records are (the export's mark, read back by {@code lathe import})
     * @param agentId a subagent's id: its records are a side chain of the session {@code sessionId}
     */
    ClaudeCodeTranscript(String sessionId, String latheSession, String cwd, Optional<String> version, Optional<String> agentId, UnaryOperator<String> mask,
            NotCarried notCarried) {
        this.sessionId = sessionId;
        this.latheSession = latheSession;
        this.cwd = cwd;
        this.version = version;
        this.agentId = agentId;
        this.mask = mask;
        this.notCarried = notCarried;
    }

    List<ObjectNode> records() { return List.copyOf(records); }

    void add(MessageWithParts m) {
        switch (m.info()) {
            case UserMessage u -> prompt(u, m.parts());
            case AssistantMessage a -> answer(a, m.parts());
        }
    }

    /** Claude Code's title record ({@code /rename} writes the same). */
    void title(String title) {
        ObjectNode r = ExportedTools.JSON.createObjectNode();
        r.put("type", "custom-title").put("customTitle", mask.apply(title)).put("sessionId", sessionId);
        records.add(r);
    }

    private void prompt(UserMessage u, List<Part> parts) {
        ArrayNode content = ExportedTools.JSON.createArrayNode();
        for (Part p : parts) {
            switch (p) {
                case Part.Text t when !t.text().isBlank() && !ExportedTools.latheOwn(t) -> content.addObject().put("type", "text").put("text", mask.apply(t.text()));
                case Part.File f -> file(content, f.mime(), f.name(), f.url(), "a file attached to a prompt");
                case Part.Text _, Part.Reasoning _, Part.Tool _, Part.StepStart _, Part.StepFinish _, Part.Patch _, Part.Compaction _, Part.Subtask _,
                        Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
            }
        }
        if (content.isEmpty()) return;
        ObjectNode message = ExportedTools.JSON.createObjectNode().put("role", "user");
        if (content.size() == 1 && content.get(0).path("type").asString().equals("text")) message.put("content", content.get(0).path("text").asString());
        else message.set("content", content);
        append("user", message, u.createdAt());
    }

    private void answer(AssistantMessage a, List<Part> parts) {
        String id = "msg_lathe" + (++answers) + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        List<ObjectNode> blocks = new ArrayList<>();
        List<Part.Tool> calls = new ArrayList<>();
        for (Part p : parts) {
            switch (p) {
                case Part.Text t when !t.text().isBlank() -> {
                    if (!calls.isEmpty()) id = step(a, id, blocks, calls);
                    blocks.add(ExportedTools.JSON.createObjectNode().put("type", "text").put("text", mask.apply(t.text())));
                }
                case Part.Tool t -> {
                    var call = ExportedTools.claudeCode(t.tool(), t.input(), mask);
                    ObjectNode use = ExportedTools.JSON.createObjectNode().put("type", "tool_use").put("id", callId(t.callId())).put("name", call.name());
                    use.set("input", call.input());
                    blocks.add(use);
                    calls.add(t);
                }
                case Part.Reasoning _ -> notCarried.add("reasoning (Claude Code would send it back to a model that did not sign it)");
                case Part.StepFinish _ -> {
                    if (!calls.isEmpty()) id = step(a, id, blocks, calls);
                }
                case Part.File f -> notCarried.add("a file in an answer: " + f.name());
                case Part.Text _, Part.StepStart _, Part.Patch _, Part.Compaction _, Part.Subtask _, Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
            }
        }
        if (!blocks.isEmpty() || !calls.isEmpty()) step(a, id, blocks, calls);
    }

    /** Writes one step's blocks and its calls' results; the next step's blocks get a new message id. */
    private String step(AssistantMessage a, String id, List<ObjectNode> blocks, List<Part.Tool> calls) {
        boolean calling = !calls.isEmpty();
        for (ObjectNode block : blocks) {
            ObjectNode message = ExportedTools.JSON.createObjectNode().put("id", id).put("type", "message").put("role", "assistant")
                    .put("model", a.model().substring(a.model().indexOf('/') + 1));
            message.putArray("content").add(block);
            message.put("stop_reason", calling ? "tool_use" : "end_turn").putNull("stop_sequence");
            message.putObject("usage").put("input_tokens", a.usage().input()).put("output_tokens", a.usage().output())
                    .put("cache_read_input_tokens", a.usage().cacheRead()).put("cache_creation_input_tokens", a.usage().cacheWrite());
            ((ObjectNode) append("assistant", message, a.createdAt()).get("lathe")).put("model", a.model());
        }
        for (Part.Tool t : calls) result(t, a.completedAt().orElse(a.createdAt()));
        blocks.clear();
        calls.clear();
        return id + "s";
    }

    private void result(Part.Tool t, long at) {
        ObjectNode block = ExportedTools.JSON.createObjectNode().put("tool_use_id", callId(t.callId())).put("type", "tool_result");
        switch (t.state()) {
            case ToolState.Completed c -> {
                if (c.attachments().isEmpty()) {
                    block.put("content", mask.apply(c.output()));
                } else {
                    ArrayNode content = block.putArray("content");
                    content.addObject().put("type", "text").put("text", mask.apply(c.output()));
                    for (Attachment file : c.attachments()) file(content, file.mime(), file.name(), file.url(), "a file a tool answered with");
                }
                block.put("is_error", false);
            }
            case ToolState.Failed f -> block.put("content", mask.apply(f.error())).put("is_error", true);
            case ToolState.Pending _, ToolState.Running _ -> block.put("content", "interrupted: the call never finished").put("is_error", true);
        }
        String source = records.getLast().path("uuid").asString();
        ObjectNode message = ExportedTools.JSON.createObjectNode().put("role", "user");
        message.putArray("content").add(block);
        append("user", message, at).put("sourceToolAssistantUUID", source);
    }

    /** An image as Claude Code's base64 block, a text file as its text; anything else is named as not carried. */
    private void file(ArrayNode content, String mime, String name, String url, String what) {
        int comma = url == null ? -1 : url.indexOf(',');
        boolean base64 = url != null && url.startsWith("data:") && comma > 0 && url.substring(0, comma).endsWith(";base64");
        if (base64 && mime.startsWith("image/")) {
            content.addObject().put("type", "image").putObject("source").put("type", "base64").put("media_type", mime).put("data", url.substring(comma + 1));
        } else if (base64 && (mime.startsWith("text/") || mime.equals("application/json"))) {
            String text = new String(Base64.getMimeDecoder().decode(url.substring(comma + 1)), StandardCharsets.UTF_8);
            content.addObject().put("type", "text").put("text", "[attached file " + mask.apply(name) + "]\n" + mask.apply(text));
        } else {
            notCarried.add(what + " (" + mime + "): " + name);
        }
    }

    private ObjectNode append(String type, ObjectNode message, long at) {
        String uuid = UUID.randomUUID().toString();
        ObjectNode r = ExportedTools.JSON.createObjectNode();
        if (parent == null) r.putNull("parentUuid");
        else r.put("parentUuid", parent);
        r.put("isSidechain", agentId.isPresent());
        agentId.ifPresent(id -> r.put("agentId", id));
        r.put("type", type).set("message", message);
        r.put("uuid", uuid).put("timestamp", Instant.ofEpochMilli(at).toString()).put("userType", "external").put("entrypoint", "cli")
                .put("cwd", cwd).put("sessionId", sessionId);
        version.ifPresent(v -> r.put("version", v));
        r.putObject("lathe").put("session", latheSession);
        records.add(r);
        parent = uuid;
        return r;
    }

    /** Anthropic takes tool-use ids of letters, digits, {@code _} and {@code -} only; others' ids are kept readable. */
    static String callId(String id) {
        String clean = id == null ? "" : id.replaceAll("[^a-zA-Z0-9_-]", "_");
        return clean.isEmpty() ? "toolu_lathe" : clean;
    }
}
