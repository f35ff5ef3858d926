package dev.lathe.core.imports;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Attachment;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds Lathe's messages from another harness's records as they are read, in order. A user prompt opens a user
 * message; everything the model did until the next prompt is one assistant message, each model response a step
 * ({@code step-start} … {@code step-finish}) as Lathe's own turns store them, so the history goes to any model the way
 * Lathe's own does. A tool result finds its call by id, wherever it came; a call whose result never came (the session
 * was stopped) is closed as failed, so the next model is never sent a call without an answer.
 */
final class TranscriptBuilder {
    /** What a call whose result was never recorded tells the next model. */
    static final String NO_RESULT = "[no result was recorded for this call: the session ended before it returned]";
    static final String AGENT = "build";

    private final ImportIds ids;
    private final SessionId session;
    private final List<Message> messages = new ArrayList<>();
    private final List<List<Part>> parts = new ArrayList<>();
    private final Map<String, int[]> calls = new HashMap<>();
    private String model;
    private long createdAt = -1;
    private long updatedAt;
    private Optional<String> firstPrompt = Optional.empty();
    private Usage total = Usage.ZERO;
    // the open assistant message and step
    private int assistant = -1;
    private boolean stepOpen;
    private Usage stepUsage = Usage.ZERO;
    private boolean stepCalled;
    private long stepAt;

    TranscriptBuilder(ImportIds ids, long firstAt, String model) {
        this.ids = ids;
        this.session = ids.session(firstAt);
        this.model = model;
    }

    SessionId sessionId() { return session; }

    /** A prompt the user typed (or an image they attached, {@link #userFile}). */
    void userText(String key, long at, String text) {
        if (text.isBlank()) return;
        closeAssistant();
        if (firstPrompt.isEmpty()) firstPrompt = Optional.of(text);
        int m = openUser(key, at);
        add(m, new Part.Text(ids.part(key + "/text", at), session, messages.get(m).id(), text, false));
    }

    void userFile(String key, long at, String mime, String name, String url) {
        closeAssistant();
        int m = openUser(key, at);
        add(m, new Part.File(ids.part(key + "/file", at), session, messages.get(m).id(), mime, name, url));
    }

    /** A new model response (one request's answer); {@code stepModel} is {@code provider/model} when the source records it. */
    void step(String key, long at, Optional<String> stepModel) {
        stepModel.ifPresent(m -> model = m);
        touch(at);
        if (assistant < 0) {
            MessageId parent = lastUser().orElseGet(() -> ids.message(key + "/prompt", at));
            messages.add(new AssistantMessage(ids.message(key + "/answer", at), session, parent, AGENT, model, at, Optional.empty(),
                    Optional.empty(), Optional.empty(), Usage.ZERO, 0));
            parts.add(new ArrayList<>());
            assistant = messages.size() - 1;
        }
        closeStep();
        add(assistant, new Part.StepStart(ids.part(key + "/step", at), session, messages.get(assistant).id(), Optional.empty()));
        stepOpen = true;
        stepAt = at;
        stepCalled = false;
    }

    void text(String key, long at, String text) {
        if (text.isBlank()) return;
        ensureStep(key, at);
        add(assistant, new Part.Text(ids.part(key, at), session, messages.get(assistant).id(), text, false));
    }

    void reasoning(String key, long at, String text, Optional<String> signature) {
        if (text.isBlank() && signature.isEmpty()) return;
        ensureStep(key, at);
        add(assistant, new Part.Reasoning(ids.part(key, at), session, messages.get(assistant).id(), text,
                signature.map(s -> Map.of("signature", s)).orElse(Map.of())));
    }

    void toolCall(String callId, long at, String tool, String inputJson) {
        ensureStep(callId, at);
        int m = assistant;
        add(m, new Part.Tool(ids.part("call/" + callId, at), session, messages.get(m).id(), callId, tool,
                new ToolState.Running(new RawJson(inputJson), tool, at, "")));
        calls.put(callId, new int[] {m, parts.get(m).size() - 1});
        stepCalled = true;
    }

    /** The result of call {@code callId}; false when no such call was seen (the caller reports it). */
    boolean toolResult(String callId, long at, String output, boolean isError) {
        return toolResult(callId, at, output, isError, List.of());
    }

    /** A result with the files it handed the model (an image a read tool opened), kept for the next model as Lathe's own are. */
    boolean toolResult(String callId, long at, String output, boolean isError, List<Attachment> attachments) {
        int[] where = calls.remove(callId);
        if (where == null) return false;
        touch(at);
        Part.Tool call = (Part.Tool) parts.get(where[0]).get(where[1]);
        long started = ((ToolState.Running) call.state()).startedAt();
        ToolState done = isError ? new ToolState.Failed(call.input(), output, started, at)
                : new ToolState.Completed(call.input(), output, call.tool(), Map.of(), started, at, attachments);
        parts.get(where[0]).set(where[1], call.withState(done));
        return true;
    }

    void usage(Usage used) {
        stepUsage = stepUsage.plus(used);
        total = total.plus(used);
    }

    /**
     * The history before this point was summarised: a user message holding the compaction and an assistant message
     * holding the summary, as Lathe's own compaction stores them, so the next model is sent the summary and what
     * follows, not what it replaced.
     */
    void compaction(String key, long at, boolean auto, String summary) {
        closeAssistant();
        touch(at);
        MessageId ask = ids.message(key + "/compact", at);
        MessageId answer = ids.message(key + "/summary", at);
        messages.add(new UserMessage(ask, session, at, AGENT, model));
        parts.add(new ArrayList<>(List.of(
                new Part.Compaction(ids.part(key + "/compaction", at), session, ask, auto, Optional.of(answer)),
                new Part.Text(ids.part(key + "/ask", at), session, ask, "Summarise the conversation so far.", true))));
        messages.add(new AssistantMessage(answer, session, ask, AGENT, model, at, Optional.of(at), Optional.of("stop"), Optional.empty(),
                Usage.ZERO, 0));
        parts.add(new ArrayList<>(List.of(new Part.Text(ids.part(key + "/summary-text", at), session, answer, summary, false))));
    }

    /** The session and its messages; {@code title} absent: the first prompt, cut. */
    Built build(String directory, Optional<String> title, Optional<SessionId> parent) {
        closeAssistant();
        List<MessageWithParts> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) out.add(new MessageWithParts(messages.get(i), List.copyOf(parts.get(i))));
        String name = title.filter(t -> !t.isBlank()).orElseGet(() -> firstPrompt.map(TranscriptBuilder::cut).orElse("Imported session"));
        long created = createdAt < 0 ? updatedAt : createdAt;
        // the project id is filled in when stored (the folder's id on this machine)
        Session s = new Session(session, new ProjectId("prj_import"), directory, parent, name, AGENT, model, created, Math.max(created, updatedAt),
                Optional.empty(), total, 0, Optional.empty());
        return new Built(s, out);
    }

    record Built(Session session, List<MessageWithParts> messages) {}

    int messageCount() { return messages.size(); }

    private static String cut(String prompt) {
        String line = prompt.strip().lines().findFirst().orElse("").strip();
        return line.length() > 80 ? line.substring(0, 79) + "…" : line;
    }

    private int openUser(String key, long at) {
        touch(at);
        int last = messages.size() - 1;
        if (last >= 0 && messages.get(last) instanceof UserMessage) return last;  // an image beside the text: one message
        messages.add(new UserMessage(ids.message(key, at), session, at, AGENT, model));
        parts.add(new ArrayList<>());
        return messages.size() - 1;
    }

    private Optional<MessageId> lastUser() {
        for (int i = messages.size() - 1; i >= 0; i--) if (messages.get(i) instanceof UserMessage u) return Optional.of(u.id());
        return Optional.empty();
    }

    private void ensureStep(String key, long at) {
        if (assistant < 0 || !stepOpen) step(key, at, Optional.empty());
    }

    private void closeStep() {
        if (!stepOpen) return;
        add(assistant, new Part.StepFinish(ids.part("finish/" + messages.get(assistant).id() + "/" + parts.get(assistant).size(), stepAt),
                session, messages.get(assistant).id(), stepCalled ? "tool_calls" : "stop", stepUsage, 0, Optional.empty()));
        stepOpen = false;
        stepUsage = Usage.ZERO;
    }

    /** Ends the open answer: its open calls failed (no result came before the next prompt), its last step finished. */
    private void closeAssistant() {
        if (assistant < 0) return;
        for (var it = calls.entrySet().iterator(); it.hasNext(); ) {
            int[] where = it.next().getValue();
            if (where[0] != assistant) continue;
            Part.Tool call = (Part.Tool) parts.get(where[0]).get(where[1]);
            long started = ((ToolState.Running) call.state()).startedAt();
            parts.get(where[0]).set(where[1], call.withState(new ToolState.Failed(call.input(), NO_RESULT, started, updatedAt)));
            it.remove();
        }
        boolean called = stepCalled;
        closeStep();
        AssistantMessage a = (AssistantMessage) messages.get(assistant);
        Usage used = Usage.ZERO;
        for (Part p : parts.get(assistant)) if (p instanceof Part.StepFinish f) used = used.plus(f.usage());
        messages.set(assistant, a.completed(Math.max(a.createdAt(), updatedAt), called ? "tool_calls" : "stop", used, 0));
        assistant = -1;
    }

    private void add(int message, Part part) { parts.get(message).add(part); }

    private void touch(long at) {
        if (createdAt < 0) createdAt = at;
        updatedAt = Math.max(updatedAt, at);
    }
}
