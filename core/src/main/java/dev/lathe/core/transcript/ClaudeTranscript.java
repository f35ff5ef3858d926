package dev.lathe.core.transcript;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import dev.lathe.core.hooks.ClaudeToolNames;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A session as Claude Code writes its transcript: one JSON object per line, each with {@code type} ({@code user} or
 * {@code assistant}), {@code message} ({@code role} and {@code content}), {@code uuid} and {@code parentUuid} (the line
 * before it: a chain), {@code sessionId}, {@code timestamp} (ISO 8601, UTC, milliseconds), {@code cwd},
 * {@code version}, {@code isSidechain} (true in a subagent's session) and {@code userType} {@code external}.
 *
 * <ul>
 *   <li>A user message is one line whose content is the typed text (a string; text Lathe added itself is left out).</li>
 *   <li>An assistant message is, per model step, one line per content block, as Claude Code streams them: {@code text},
 *       {@code thinking} and {@code tool_use} ({@code id}, {@code name}, {@code input}, with Claude Code's tool names and
 *       fields, {@link ClaudeToolNames}); the lines of one step share {@code message.id}. A call still streaming its
 *       arguments is not written yet.</li>
 *   <li>Each finished call of the step then gets a {@code user} line with a {@code tool_result} block
 *       ({@code tool_use_id}, {@code content}: the output, or the error, {@code is_error}), in the order the calls
 *       finished.</li>
 * </ul>
 *
 * Messages hidden by a revert are left out. Line ids are derived from Lathe's ids, so the same session always gives the
 * same lines and a longer session extends the lines of a shorter one ({@link TranscriptFiles} appends).
 */
public final class ClaudeTranscript {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The same names hooks see; MCP tools keep Lathe's names here (the transcript does not know the servers). */
    private static final ClaudeToolNames NAMES = ClaudeToolNames.BUILTIN_ONLY;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ClaudeTranscript() {}

    /** The transcript's lines (without line breaks) for {@code session} with {@code messages}, oldest first. */
    public static List<String> lines(Session session, List<MessageWithParts> messages, String version) {
        var writer = new Writer(session, version);
        for (MessageWithParts m : messages) {
            if (hidden(session, m.info().id())) continue;
            switch (m.info()) {
                case UserMessage u -> writer.user(u, m.parts());
                case AssistantMessage a -> writer.assistant(a, m.parts());
            }
        }
        return writer.lines;
    }

    /** Builds the lines, each chained to the one before. */
    private static final class Writer {
        private final Session session;
        private final String version;
        private final List<String> lines = new ArrayList<>();
        private Optional<String> last = Optional.empty();

        Writer(Session session, String version) {
            this.session = session;
            this.version = version;
        }

        void user(UserMessage message, List<Part> parts) {
            List<String> texts = new ArrayList<>();
            for (Part p : parts) if (p instanceof Part.Text t && !t.synthetic()) texts.add(t.text());
            if (texts.isEmpty()) return;
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("role", "user").put("content", String.join("\n\n", texts));
            add("user", message.id().value(), body, message.createdAt());
        }

        void assistant(AssistantMessage message, List<Part> parts) {
            List<List<Part>> steps = new ArrayList<>();
            List<Part> step = new ArrayList<>();
            for (Part p : parts) {
                if (p instanceof Part.StepStart && !step.isEmpty()) {
                    steps.add(step);
                    step = new ArrayList<>();
                }
                step.add(p);
            }
            if (!step.isEmpty()) steps.add(step);
            for (List<Part> s : steps) step(message, s);
        }

        private void step(AssistantMessage message, List<Part> parts) {
            String stepId = "msg_" + parts.getFirst().id().value();
            List<Part.Tool> finished = new ArrayList<>();
            for (Part p : parts) {
                ObjectNode block = JsonNodeFactory.instance.objectNode();
                switch (p) {
                    case Part.Text t -> block.put("type", "text").put("text", t.text());
                    case Part.Reasoning r -> block.put("type", "thinking").put("thinking", r.text()).put("signature", "");
                    case Part.Tool t -> {
                        if (t.state() instanceof ToolState.Pending) continue;
                        block.put("type", "tool_use").put("id", t.callId()).put("name", NAMES.claudeName(t.tool()))
                                .set("input", NAMES.claudeInput(t.tool(), input(t), java.nio.file.Path.of(session.directory())));
                        if (t.state() instanceof ToolState.Completed || t.state() instanceof ToolState.Failed) finished.add(t);
                    }
                    case Part.File _, Part.StepStart _, Part.StepFinish _, Part.Patch _, Part.Compaction _, Part.Subtask _, Part.Retry _,
                         Part.ModelSwitch _, Part.Hook _ -> {
                        continue;
                    }
                }
                ObjectNode body = JsonNodeFactory.instance.objectNode().put("id", stepId).put("type", "message").put("role", "assistant")
                        .put("model", model(message.model()));
                body.putArray("content").add(block);
                body.putNull("stop_reason");
                body.putNull("stop_sequence");
                add("assistant", p.id().value(), body, message.createdAt());
            }
            finished.sort(Comparator.comparingLong(ClaudeTranscript::endedAt));
            for (Part.Tool t : finished) {
                ObjectNode result = JsonNodeFactory.instance.objectNode().put("tool_use_id", t.callId()).put("type", "tool_result");
                switch (t.state()) {
                    case ToolState.Completed c -> result.put("content", c.output()).put("is_error", false);
                    case ToolState.Failed f -> result.put("content", f.error()).put("is_error", true);
                    case ToolState.Pending _, ToolState.Running _ -> throw new IllegalStateException("only finished calls have a result");
                }
                ObjectNode body = JsonNodeFactory.instance.objectNode().put("role", "user");
                ArrayNode content = body.putArray("content");
                content.add(result);
                add("user", t.id().value() + ":result", body, endedAt(t));
            }
        }

        private void add(String type, String key, ObjectNode message, long at) {
            String uuid = UUID.nameUUIDFromBytes((session.id().value() + "/" + key).getBytes(StandardCharsets.UTF_8)).toString();
            ObjectNode line = JsonNodeFactory.instance.objectNode();
            if (last.isPresent()) line.put("parentUuid", last.get());
            else line.putNull("parentUuid");
            line.put("isSidechain", session.parentId().isPresent())
                    .put("userType", "external")
                    .put("cwd", session.directory())
                    .put("sessionId", session.id().value())
                    .put("version", version)
                    .put("type", type)
                    .set("message", message);
            line.put("uuid", uuid).put("timestamp", TIME.format(Instant.ofEpochMilli(at)));
            lines.add(line.toString());
            last = Optional.of(uuid);
        }
    }

    /** {@code provider/model} → {@code model}, as Claude Code's lines name the model. */
    private static String model(String model) {
        int slash = model.indexOf('/');
        return slash < 0 ? model : model.substring(slash + 1);
    }

    private static ObjectNode input(Part.Tool t) {
        try {
            JsonNode node = JSON.readTree(t.input().json());
            return node instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        } catch (RuntimeException e) {
            return JsonNodeFactory.instance.objectNode(); // a call whose arguments never parsed has none to show
        }
    }

    private static long endedAt(Part.Tool t) {
        return switch (t.state()) {
            case ToolState.Completed c -> c.endedAt();
            case ToolState.Failed f -> f.endedAt();
            case ToolState.Pending _ -> Long.MAX_VALUE;
            case ToolState.Running r -> r.startedAt();
        };
    }

    /** Whether a revert hides the message {@code id} (it and every later one). */
    private static boolean hidden(Session session, MessageId id) {
        return session.revert().isPresent() && id.value().compareTo(session.revert().get().value()) >= 0;
    }
}
