package dev.lathe.core.telemetry.otel;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolRejection;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.wire.WireJson;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Turns this node's events into spans in the GenAI semantic conventions: {@code invoke_agent} per turn (a session busy
 * until it is idle again), {@code chat} per model request (a step: its start part to its finish part, with the model,
 * usage, cache tokens and finish reason), {@code execute_tool} per tool call (its start and end times as the call
 * recorded them, its outcome: ok, error, denied or rejected). A subagent's or a teammate's turn is a child of the parent's
 * tool call that started it (its {@code Subtask} part), else of the parent's turn. The session's words (prompt, answer,
 * tool arguments and results) are attributes only with {@code content}; nothing else of a session goes out but ids,
 * names, models and numbers. Runs on the telemetry thread alone: its state needs no locks, and what a turn opened is
 * forgotten when the turn ends.
 */
final class GenAiSpans {
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("gen_ai.conversation.id");
    static final AttributeKey<String> AGENT = AttributeKey.stringKey("gen_ai.agent.name");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> CACHE_READ = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
    static final AttributeKey<Long> CACHE_WRITE = AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
    static final AttributeKey<List<String>> FINISH = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
    static final AttributeKey<String> CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
    static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
    static final AttributeKey<String> ARGUMENTS = AttributeKey.stringKey("gen_ai.tool.call.arguments");
    static final AttributeKey<String> RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");
    static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("lathe.tool.outcome");
    static final AttributeKey<Double> COST = AttributeKey.doubleKey("lathe.cost.usd");
    static final AttributeKey<String> PARENT_SESSION = AttributeKey.stringKey("lathe.session.parent_id");
    /** The most of the session's words one attribute carries. */
    static final int MAX_CONTENT = 16_384;
    /** How many child sessions' parent calls (a teammate's later turns still find theirs) and messages' models are remembered. */
    static final int MAX_REMEMBERED = 4_096;

    private final Tracer tracer;
    private final GenAiMetrics metrics;
    private final boolean content;
    private final Function<SessionId, Optional<Session>> sessions;

    private final Map<SessionId, TurnSpan> turns = new HashMap<>();
    private final Map<MessageId, Chat> chats = new HashMap<>();
    private final Map<MessageId, String> models = bounded();
    /** The user's messages ({@code content} only), whose text is the turn's input. */
    private final Map<MessageId, SessionId> userMessages = new HashMap<>();
    private final Map<String, ToolSpan> tools = new LinkedHashMap<>();
    /** The user's words waiting for their turn to start ({@code content} only). */
    private final Map<SessionId, StringBuilder> prompts = new HashMap<>();
    private final Map<SessionId, SpanContext> parents = bounded();

    /** A turn running: its span, what its messages said of agent and model, its totals, its answer's text. */
    private static final class TurnSpan {
        final Span span;
        final long startNanos;
        final List<MessageId> messages = new ArrayList<>();
        final Map<PartId, String> answer = new LinkedHashMap<>();
        String model = "";
        long input, output, cacheRead, cacheWrite, cost;
        String finish = "";

        TurnSpan(Span span, long startNanos) {
            this.span = span;
            this.startNanos = startNanos;
        }
    }

    private record Chat(SessionId session, Span span, long startNanos, Attributes request) {}

    private record ToolSpan(SessionId session, MessageId message, Span span, String input) {}

    GenAiSpans(OpenTelemetrySdk sdk, boolean content, Function<SessionId, Optional<Session>> sessions) {
        this.tracer = sdk.getTracer("dev.lathe");
        this.metrics = new GenAiMetrics(sdk.getMeter("dev.lathe"));
        this.content = content;
        this.sessions = sessions;
    }

    void accept(long nanos, Event event) {
        switch (event) {
            case Event.SessionStatusChanged s -> {
                switch (s.status()) {
                    case SessionStatus.Idle _ -> endTurn(s.sessionId(), nanos);
                    case SessionStatus.Queued _ -> { }
                    case SessionStatus.Busy _, SessionStatus.Waiting _, SessionStatus.Retry _ -> {
                        if (!turns.containsKey(s.sessionId())) startTurn(s.sessionId(), nanos);
                    }
                }
            }
            case Event.SessionErrored e -> Optional.ofNullable(turns.get(e.sessionId())).ifPresent(turn -> {
                turn.span.setAttribute(ERROR_TYPE, e.error().kind());
                if (!e.error().kind().equals("aborted")) turn.span.setStatus(StatusCode.ERROR, e.error().kind());
            });
            case Event.MessageUpdated m when content && m.info() instanceof UserMessage u -> userMessages.put(u.id(), u.sessionId());
            case Event.MessageUpdated m when m.info() instanceof AssistantMessage a -> assistant(a, nanos);
            case Event.PartUpdated p -> part(p.part(), nanos);
            default -> { }
        }
    }

    private void startTurn(SessionId id, long nanos) {
        var builder = tracer.spanBuilder("invoke_agent").setSpanKind(SpanKind.INTERNAL).setStartTimestamp(nanos, TimeUnit.NANOSECONDS)
                .setAttribute(OPERATION, "invoke_agent").setAttribute(CONVERSATION, id.value());
        SpanContext parent = parents.get(id);
        if (parent == null) {
            // a child whose call was not seen here (a restart, a resumed task): under the parent's turn, if it runs here
            Optional<SessionId> parentId = sessions.apply(id).flatMap(Session::parentId);
            parentId.ifPresent(p -> builder.setAttribute(PARENT_SESSION, p.value()));
            parent = parentId.map(turns::get).map(t -> t.span.getSpanContext()).orElse(null);
        }
        builder.setParent(parent == null ? Context.root() : Context.root().with(Span.wrap(parent)));
        var turn = new TurnSpan(builder.startSpan(), nanos);
        turns.put(id, turn);
    }

    private void assistant(AssistantMessage a, long nanos) {
        TurnSpan turn = turns.get(a.sessionId());
        if (!models.containsKey(a.id())) {
            models.put(a.id(), a.model());
            if (turn != null) {
                turn.messages.add(a.id());
                if (turn.model.isEmpty()) {
                    turn.model = a.model();
                    turn.span.updateName("invoke_agent " + a.agent());
                    turn.span.setAttribute(AGENT, a.agent()).setAttribute(PROVIDER, provider(a.model())).setAttribute(REQUEST_MODEL, model(a.model()));
                }
            }
        }
        a.error().ifPresent(error -> Optional.ofNullable(chats.remove(a.id())).ifPresent(chat -> {
            chat.span.setAttribute(ERROR_TYPE, error.kind()).setStatus(StatusCode.ERROR, error.kind());
            chat.span.end(nanos, TimeUnit.NANOSECONDS);
            metrics.request(chat.request.toBuilder().put(ERROR_TYPE, error.kind()).build(), 0, 0, 0, seconds(nanos - chat.startNanos));
        }));
    }

    private void part(Part part, long nanos) {
        switch (part) {
            case Part.StepStart s -> startChat(s, nanos);
            case Part.StepFinish f -> endChat(f, nanos);
            case Part.ModelSwitch m -> models.put(m.messageId(), m.to());
            case Part.Tool t -> tool(t, nanos);
            case Part.Subtask s -> subtask(s);
            case Part.Text t -> {
                if (content && !t.synthetic()) text(t);
            }
            // nothing of these is a span, an attribute or a metric
            case Part.Reasoning _, Part.File _, Part.Patch _, Part.Compaction _, Part.Retry _, Part.Hook _ -> { }
        }
    }

    private void startChat(Part.StepStart s, long nanos) {
        Optional.ofNullable(chats.remove(s.messageId())).ifPresent(open -> open.span.end(nanos, TimeUnit.NANOSECONDS));
        String model = models.getOrDefault(s.messageId(), "");
        Attributes request = Attributes.of(OPERATION, "chat", PROVIDER, provider(model), REQUEST_MODEL, model(model));
        Span span = tracer.spanBuilder("chat " + model(model)).setSpanKind(SpanKind.CLIENT).setParent(under(s.sessionId()))
                .setStartTimestamp(nanos, TimeUnit.NANOSECONDS).setAllAttributes(request).setAttribute(CONVERSATION, s.sessionId().value()).startSpan();
        chats.put(s.messageId(), new Chat(s.sessionId(), span, nanos, request));
    }

    private void endChat(Part.StepFinish f, long nanos) {
        Chat chat = chats.remove(f.messageId());
        if (chat == null) return;
        String model = models.getOrDefault(f.messageId(), "");
        var usage = f.usage();
        chat.span.setAttribute(RESPONSE_MODEL, model(model)).setAttribute(INPUT_TOKENS, usage.input()).setAttribute(OUTPUT_TOKENS, usage.output())
                .setAttribute(CACHE_READ, usage.cacheRead()).setAttribute(CACHE_WRITE, usage.cacheWrite()).setAttribute(FINISH, List.of(f.reason()))
                .setAttribute(COST, f.cost() / 1_000_000.0);
        if (f.reason().equals("error")) chat.span.setStatus(StatusCode.ERROR, "error");
        chat.span.end(nanos, TimeUnit.NANOSECONDS);
        metrics.request(chat.request.toBuilder().put(RESPONSE_MODEL, model(model)).build(), usage.input(), usage.output(), f.cost(), seconds(nanos - chat.startNanos));
        Optional.ofNullable(turns.get(f.sessionId())).ifPresent(turn -> {
            turn.input += usage.input();
            turn.output += usage.output();
            turn.cacheRead += usage.cacheRead();
            turn.cacheWrite += usage.cacheWrite();
            turn.cost += f.cost();
            turn.finish = f.reason();
        });
    }

    private void tool(Part.Tool t, long nanos) {
        String key = t.sessionId().value() + "/" + t.callId();
        switch (t.state()) {
            case ToolState.Pending _ -> { }
            case ToolState.Running r -> tools.computeIfAbsent(key, k -> startTool(t, r.startedAt()));
            case ToolState.Completed c -> endTool(key, t, c.startedAt(), c.endedAt(), "ok", Optional.of(c.output()));
            case ToolState.Failed f -> {
                String outcome = f.rejection().map(r -> r.by() == ToolRejection.By.USER ? "rejected" : "denied").orElse("error");
                endTool(key, t, f.startedAt(), f.endedAt(), outcome, Optional.empty());
            }
        }
    }

    private ToolSpan startTool(Part.Tool t, long startedAtMillis) {
        var builder = tracer.spanBuilder("execute_tool " + t.tool()).setSpanKind(SpanKind.INTERNAL).setParent(under(t.sessionId()))
                .setStartTimestamp(startedAtMillis, TimeUnit.MILLISECONDS).setAttribute(OPERATION, "execute_tool").setAttribute(TOOL, t.tool())
                .setAttribute(CALL_ID, t.callId()).setAttribute(TOOL_TYPE, "function").setAttribute(CONVERSATION, t.sessionId().value());
        if (content) builder.setAttribute(ARGUMENTS, bounded(t.input().json()));
        return new ToolSpan(t.sessionId(), t.messageId(), builder.startSpan(), t.input().json());
    }

    private void endTool(String key, Part.Tool t, long startedAt, long endedAt, String outcome, Optional<String> output) {
        ToolSpan open = tools.remove(key);
        ToolSpan call = open != null ? open : startTool(t, startedAt > 0 ? startedAt : endedAt);
        call.span.setAttribute(OUTCOME, outcome);
        if (!outcome.equals("ok")) call.span.setAttribute(ERROR_TYPE, outcome.equals("error") ? "tool_error" : outcome).setStatus(StatusCode.ERROR, outcome);
        if (content) output.ifPresent(text -> call.span.setAttribute(RESULT, bounded(text)));
        call.span.end(Math.max(endedAt, startedAt), TimeUnit.MILLISECONDS);
        metrics.tool(Attributes.of(TOOL, t.tool(), OUTCOME, outcome), Math.max(0, endedAt - startedAt) / 1000.0);
    }

    /** A child session started by a call of its parent: its turns are children of that call's span. */
    private void subtask(Part.Subtask s) {
        List<ToolSpan> open = tools.values().stream().filter(c -> c.session.equals(s.sessionId()) && c.message.equals(s.messageId())).toList();
        if (open.isEmpty()) return;
        // calls side by side in one answer: the one whose arguments hold this child's prompt
        String prompt = WireJson.write(s.prompt());
        String quoted = prompt.substring(1, prompt.length() - 1);
        ToolSpan call = open.stream().filter(c -> c.input.contains(quoted)).findFirst().orElse(open.getFirst());
        parents.put(s.childSessionId(), call.span.getSpanContext());
    }

    private void text(Part.Text t) {
        if (userMessages.containsKey(t.messageId())) {
            StringBuilder prompt = prompts.computeIfAbsent(t.sessionId(), k -> new StringBuilder());
            prompt.append(prompt.isEmpty() ? "" : "\n").append(t.text());
            return;
        }
        Optional.ofNullable(turns.get(t.sessionId())).ifPresent(turn -> turn.answer.put(t.id(), t.text()));
    }

    private void endTurn(SessionId id, long nanos) {
        TurnSpan turn = turns.remove(id);
        List<String> openTools = tools.entrySet().stream().filter(e -> e.getValue().session.equals(id)).map(Map.Entry::getKey).toList();
        for (String key : openTools) tools.remove(key).span.setAttribute(OUTCOME, "interrupted").end(nanos, TimeUnit.NANOSECONDS);
        chats.values().removeIf(chat -> {
            if (!chat.session.equals(id)) return false;
            chat.span.setAttribute(ERROR_TYPE, "interrupted").end(nanos, TimeUnit.NANOSECONDS);
            return true;
        });
        StringBuilder prompt = prompts.remove(id);
        userMessages.values().removeIf(id::equals);
        if (turn == null) return;
        turn.messages.forEach(models::remove);
        turn.span.setAttribute(INPUT_TOKENS, turn.input).setAttribute(OUTPUT_TOKENS, turn.output).setAttribute(CACHE_READ, turn.cacheRead)
                .setAttribute(CACHE_WRITE, turn.cacheWrite).setAttribute(COST, turn.cost / 1_000_000.0);
        if (!turn.finish.isEmpty()) turn.span.setAttribute(FINISH, List.of(turn.finish));
        if (content) {
            if (prompt != null) turn.span.setAttribute(INPUT_MESSAGES, messages("user", prompt.toString()));
            if (!turn.answer.isEmpty()) turn.span.setAttribute(OUTPUT_MESSAGES, messages("assistant", String.join("\n", turn.answer.values())));
        }
        turn.span.end(nanos, TimeUnit.NANOSECONDS);
        metrics.turn(Attributes.of(OPERATION, "invoke_agent", PROVIDER, provider(turn.model), REQUEST_MODEL, model(turn.model)), seconds(nanos - turn.startNanos));
    }

    /** A permission decision or answer, counted. */
    void decided(String permission, String decision, String by) {
        metrics.permission(permission, decision, by);
    }

    /** Ends every span still open (the server closing), as interrupted. */
    void endAll(long nanos) {
        for (SessionId id : List.copyOf(turns.keySet())) endTurn(id, nanos);
    }

    /** The context of a span under the session's running turn (a root when none runs here). */
    private Context under(SessionId session) {
        TurnSpan turn = turns.get(session);
        return turn == null ? Context.root() : Context.root().with(turn.span);
    }

    /** A map that forgets its least recently used entry beyond {@link #MAX_REMEMBERED}: what no end event cleared stays bounded. */
    private static <K, V> Map<K, V> bounded() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<K, V> eldest) { return size() > MAX_REMEMBERED; }
        };
    }

    /** The semantic conventions' message list of one message of {@code role} with {@code text}. */
    private static String messages(String role, String text) {
        return WireJson.write(List.of(Map.of("role", role, "parts", List.of(Map.of("type", "text", "content", bounded(text))))));
    }

    private static String bounded(String text) {
        return text.length() <= MAX_CONTENT ? text : text.substring(0, MAX_CONTENT) + "…";
    }

    /** The provider of a {@code provider/model} name (the whole name when it has no provider). */
    static String provider(String model) {
        int slash = model.indexOf('/');
        return slash > 0 ? model.substring(0, slash) : model;
    }

    /** The model of a {@code provider/model} name, as the provider knows it. */
    static String model(String name) {
        int slash = name.indexOf('/');
        return slash > 0 ? name.substring(slash + 1) : name;
    }

    private static double seconds(long nanos) {
        return Math.max(0, nanos) / 1e9;
    }
}
