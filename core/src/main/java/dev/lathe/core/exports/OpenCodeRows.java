package dev.lathe.core.exports;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Attachment;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import tools.jackson.databind.node.ObjectNode;

/**
 * A session and its subagents' as the rows OpenCode 1.18 keeps in {@code opencode.db}: {@code session} (a child's
 * {@code parent_id} names its parent), {@code message} and {@code part}, each {@code data} the JSON OpenCode writes
 * there (the message or part without its ids, which are columns). Ids are OpenCode's: a prefix, 12 hex digits of
 * milliseconds times 4096 plus a counter (inverted for sessions, which list newest first) and 14 random letters and
 * digits; messages and parts keep the order and times they had in Lathe. Reasoning is not carried: OpenCode would
 * send it back to a model that did not sign it.
 */
final class OpenCodeRows {
    record SessionRow(String id, Optional<String> parentId, String slug, String title, long createdAt, long updatedAt, String agent, String model) {}

    record Row(String id, String messageId, String sessionId, long createdAt, ObjectNode data) {}

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private final SecureRandom random = new SecureRandom();
    private final String directory;
    private final NotCarried notCarried;
    private final Map<String, String> sessionIds = new HashMap<>();
    final List<SessionRow> sessions = new ArrayList<>();
    final List<Row> messages = new ArrayList<>();
    final List<Row> parts = new ArrayList<>();
    private long last;

    OpenCodeRows(String directory, NotCarried notCarried) {
        this.directory = directory;
        this.notCarried = notCarried;
    }

    /** Adds the session and, under it, its subagents'; returns its OpenCode id. */
    String add(ExportSource source, Optional<String> parentId) {
        var s = source.session();
        String id = id("ses", s.createdAt(), true);
        sessionIds.put(s.id().value(), id);
        sessions.add(new SessionRow(id, parentId, "lathe-" + id.substring(id.length() - 6).toLowerCase(java.util.Locale.ROOT), source.mask().apply(s.title()),
                s.createdAt(), s.updatedAt(), s.agent(), model(s.model())));
        for (ExportSource child : source.children()) add(child, Optional.of(id));
        String lastPrompt = null;
        Map<String, String> messageIds = new HashMap<>();
        for (MessageWithParts m : source.messages()) {
            String mid = id("msg", m.info().createdAt(), false);
            messageIds.put(m.info().id().value(), mid);
            ObjectNode data = ExportedTools.JSON.createObjectNode();
            switch (m.info()) {
                case UserMessage u -> {
                    data.put("role", "user").putObject("time").put("created", u.createdAt());
                    data.put("agent", u.agent()).set("model", modelRef(u.model()));
                    lastPrompt = mid;
                }
                case AssistantMessage a -> {
                    String parent = messageIds.getOrDefault(a.parentId().value(), lastPrompt == null ? mid : lastPrompt);
                    data.put("parentID", parent).put("role", "assistant").put("mode", a.agent()).put("agent", a.agent());
                    data.putObject("path").put("cwd", directory).put("root", directory);
                    data.put("cost", a.cost() / 1_000_000.0).set("tokens", tokens(a.usage()));
                    ObjectNode ref = modelRef(a.model());
                    data.put("modelID", ref.path("modelID").asString()).put("providerID", ref.path("providerID").asString());
                    data.putObject("time").put("created", a.createdAt()).put("completed", a.completedAt().orElse(a.createdAt()));
                    data.put("finish", a.finish().orElse("stop"));
                }
            }
            messages.add(new Row(mid, mid, id, m.info().createdAt(), data));
            for (Part p : m.parts()) part(p, mid, id, m.info().createdAt(), source.mask());
        }
        return id;
    }

    private void part(Part p, String messageId, String sessionId, long at, UnaryOperator<String> mask) {
        ObjectNode data = ExportedTools.JSON.createObjectNode();
        switch (p) {
            case Part.Text t when ExportedTools.latheOwn(t) -> { }
            case Part.Text t -> {
                data.put("type", "text").put("text", mask.apply(t.text()));
                if (t.synthetic()) data.put("synthetic", true);
            }
            case Part.File f -> data.put("type", "file").put("mime", f.mime()).put("filename", mask.apply(f.name())).put("url", f.url());
            case Part.Tool t -> tool(data, t, messageId, sessionId, at, mask);
            case Part.StepStart _ -> data.put("type", "step-start");
            case Part.StepFinish f -> data.put("type", "step-finish").put("reason", f.reason()).put("cost", f.cost() / 1_000_000.0).set("tokens", tokens(f.usage()));
            case Part.Reasoning _ -> notCarried.add("reasoning (OpenCode would send it back to a model that did not sign it)");
            case Part.Patch _, Part.Compaction _, Part.Subtask _, Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
        }
        if (data.isEmpty()) return;
        parts.add(new Row(id("prt", at, false), messageId, sessionId, at, data));
    }

    private void tool(ObjectNode data, Part.Tool t, String messageId, String sessionId, long at, UnaryOperator<String> mask) {
        var call = ExportedTools.openCode(t.tool(), t.input(), mask);
        data.put("type", "tool").put("tool", call.name()).put("callID", t.callId());
        ObjectNode state = data.putObject("state");
        switch (t.state()) {
            case ToolState.Completed c -> {
                state.put("status", "completed").set("input", call.input());
                state.put("output", mask.apply(c.output())).put("title", mask.apply(c.title()));
                ObjectNode metadata = state.putObject("metadata");
                // a subagent's call names its session, as OpenCode's task tool does
                Optional.ofNullable(c.metadata().get("sessionId")).map(sessionIds::get).ifPresent(child -> metadata.put("sessionId", child));
                state.putObject("time").put("start", c.startedAt()).put("end", c.endedAt());
                if (!c.attachments().isEmpty()) {
                    var files = state.putArray("attachments");
                    for (Attachment a : c.attachments()) {
                        files.addObject().put("id", id("prt", at, false)).put("sessionID", sessionId).put("messageID", messageId).put("type", "file")
                                .put("mime", a.mime()).put("filename", mask.apply(a.name())).put("url", a.url());
                    }
                }
            }
            case ToolState.Failed f -> {
                state.put("status", "error").set("input", call.input());
                state.put("error", mask.apply(f.error())).putObject("time").put("start", f.startedAt()).put("end", f.endedAt());
            }
            case ToolState.Pending _, ToolState.Running _ -> {
                state.put("status", "error").set("input", call.input());
                state.put("error", "interrupted: the call never finished").putObject("time").put("start", at).put("end", at);
            }
        }
    }

    private static ObjectNode tokens(Usage u) {
        ObjectNode t = ExportedTools.JSON.createObjectNode().put("input", u.input()).put("output", u.output()).put("reasoning", u.reasoning());
        t.putObject("cache").put("read", u.cacheRead()).put("write", u.cacheWrite());
        return t;
    }

    /** {@code provider/model} as OpenCode names a model: {@code {providerID, modelID}}. */
    private static ObjectNode modelRef(String model) {
        int slash = model.indexOf('/');
        return ExportedTools.JSON.createObjectNode().put("providerID", slash < 0 ? "" : model.substring(0, slash)).put("modelID", model.substring(slash + 1));
    }

    /** The session's {@code model} column: {@code {id, providerID}}. */
    private static String model(String model) {
        ObjectNode ref = modelRef(model);
        return ExportedTools.JSON.createObjectNode().put("id", ref.path("modelID").asString()).put("providerID", ref.path("providerID").asString()).toString();
    }

    private String id(String prefix, long at, boolean descending) {
        long value = Math.max(last + 1, at * 0x1000L);
        last = value;
        long written = descending ? ~value & 0xffff_ffff_ffffL : value & 0xffff_ffff_ffffL;
        StringBuilder out = new StringBuilder(prefix).append('_').append(String.format("%012x", written));
        for (int i = 0; i < 14; i++) out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return out.toString();
    }
}
