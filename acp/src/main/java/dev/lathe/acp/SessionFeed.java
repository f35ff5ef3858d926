package dev.lathe.acp;

import dev.lathe.jsonrpc.Json;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Todo;
import dev.lathe.protocol.session.UserMessage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One ACP session's view of the daemon's events: each Lathe event of the session becomes the {@code session/update}
 * an editor understands, in the order the events came. Answer text and reasoning stream as message and thought chunks
 * (a part's text is sent once: the deltas, then whatever its final version adds); tool calls as {@code tool_call} the
 * first time and {@code tool_call_update} after; the todo list as a {@code plan}; a new title as
 * {@code session_info_update}. A prompt typed in another client (the terminal or web UI) reaches the editor as user
 * chunks; the editor's own prompt is not echoed back. Subagents' events are not shown: their task's tool call is.
 *
 * <p>{@link #on} and {@link #replay} are called one at a time (the subscription's thread, or the load's under the
 * session's lock); {@link #promptSending} and {@link #promptStored} may come from a prompt's thread.
 */
final class SessionFeed {
    private final SessionId session;
    private final Path directory;
    private final Consumer<ObjectNode> updates;
    private final Map<MessageId, Boolean> fromUser = new HashMap<>();
    /** Characters of each text or reasoning part the editor has. */
    private final Map<PartId, Integer> sent = new HashMap<>();
    private final Map<PartId, Boolean> reasoning = new HashMap<>();
    private final Set<String> announcedCalls = new HashSet<>();
    /**
     * Parts a {@link #replay} sent as they were stored, perhaps mid-stream: their deltas are not sent (the stored text
     * was cut at a flush, not at a delta), and their final version sends what the editor lacks.
     */
    private final Set<PartId> resyncing = new HashSet<>();
    /** User messages this editor sent: not echoed. Written by the prompt's thread, read by the events'. */
    private final Set<MessageId> ownPrompts = ConcurrentHashMap.newKeySet();
    private volatile boolean promptInFlight;
    /** The title the editor was last told. */
    private String title = "";

    /** @param updates receives each update object ({@code sessionUpdate} and its fields) */
    SessionFeed(SessionId session, Path directory, Consumer<ObjectNode> updates) {
        this.session = session;
        this.directory = directory;
        this.updates = updates;
    }

    /**
     * The editor's prompt is being stored: the user message that appears until {@link #promptStored} is its own. (The
     * message can be announced before the request that stores it returns.)
     */
    void promptSending() { promptInFlight = true; }

    void promptStored(MessageId id) {
        ownPrompts.add(id);
        promptInFlight = false;
    }

    /**
     * {@code session/load}: the stored conversation sent as the updates it would have streamed, what the user typed
     * included (never Lathe's synthetic notes), then the todo list as the plan. What is sent is remembered, so the
     * events that follow send only what is new.
     */
    void replay(List<MessageWithParts> history, List<Todo> todos) {
        for (var message : history) {
            message(message.info());
            for (Part part : message.parts()) {
                part(part);
                if (part instanceof Part.Text || part instanceof Part.Reasoning) resyncing.add(part.id());
            }
        }
        if (!todos.isEmpty()) updates.accept(plan(todos));
    }

    void on(Event event) {
        switch (event) {
            case Event.MessageUpdated m when m.info().sessionId().equals(session) -> message(m.info());
            case Event.PartUpdated p when p.part().sessionId().equals(session) -> part(p.part());
            case Event.PartDelta d when d.sessionId().equals(session) && d.field().equals("text") -> delta(d.partId(), d.delta());
            case Event.TodoUpdated t when t.sessionId().equals(session) -> updates.accept(plan(t.todos()));
            case Event.SessionUpdated s when s.session().id().equals(session) && !s.session().title().equals(title) -> {
                title = s.session().title();
                updates.accept(update("session_info_update").put("title", title));
            }
            default -> { }
        }
    }

    private void message(Message info) {
        boolean user = info instanceof UserMessage;
        if (fromUser.put(info.id(), user) == null && user && promptInFlight) ownPrompts.add(info.id());
    }

    private void part(Part part) {
        switch (part) {
            case Part.Text t when !t.synthetic() -> text(t.id(), t.messageId(), t.text(), false);
            case Part.Reasoning r -> text(r.id(), r.messageId(), r.text(), true);
            case Part.Tool tool -> {
                ObjectNode call = ToolCalls.of(tool, directory);
                String kind = announcedCalls.add(tool.callId()) ? "tool_call" : "tool_call_update";
                updates.accept(update(kind).setAll(call));
            }
            case Part.Text _, Part.File _, Part.StepStart _, Part.StepFinish _, Part.Patch _, Part.Compaction _,
                    Part.Subtask _, Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
        }
    }

    /** A text or reasoning part as stored: whatever the editor does not have yet is sent. */
    private void text(PartId id, MessageId message, String text, boolean thought) {
        reasoning.put(id, thought);
        if (ownPrompts.contains(message)) return;
        int have = sent.getOrDefault(id, 0);
        if (text.length() > have) send(id, fromUser.getOrDefault(message, false), text.substring(have), thought);
        sent.put(id, Math.max(have, text.length()));
    }

    private void delta(PartId id, String delta) {
        Boolean thought = reasoning.get(id);
        if (thought == null || delta.isEmpty() || resyncing.contains(id)) return;
        sent.merge(id, delta.length(), Integer::sum);
        // deltas stream only answers: a user's text arrives whole
        send(id, false, delta, thought);
    }

    private void send(PartId id, boolean user, String chunk, boolean thought) {
        String kind = user ? "user_message_chunk" : thought ? "agent_thought_chunk" : "agent_message_chunk";
        ObjectNode update = update(kind);
        update.set("content", Json.object().put("type", "text").put("text", chunk));
        // which Lathe part a chunk belongs to, for editors that group them (ACP's extension field)
        update.putObject("_meta").putObject("lathe").put("partId", id.value());
        updates.accept(update);
    }

    static ObjectNode plan(List<Todo> todos) {
        ObjectNode plan = update("plan");
        ArrayNode entries = plan.putArray("entries");
        for (Todo todo : todos) {
            if (todo.status() == Todo.Status.CANCELLED) continue;
            entries.addObject().put("content", todo.content()).put("priority", todo.priority().wire()).put("status", todo.status().wire());
        }
        return plan;
    }

    static ObjectNode update(String kind) { return Json.object().put("sessionUpdate", kind); }
}
