package dev.lathe.protocol.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.RawJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One piece of a message. Wire {@code type} names the kind; ids are time-ordered so parts sort in creation order. A
 * {@code type} this reader does not know (a newer server's) reads as {@code null}: a message's part list drops it
 * ({@link dev.lathe.protocol.api.MessageWithParts}) and an event carrying it does not read (a client skips it), so a
 * new kind of part is additive.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", defaultImpl = Void.class)
@JsonSubTypes({
        @JsonSubTypes.Type(value = Part.Text.class, name = "text"),
        @JsonSubTypes.Type(value = Part.Reasoning.class, name = "reasoning"),
        @JsonSubTypes.Type(value = Part.Tool.class, name = "tool"),
        @JsonSubTypes.Type(value = Part.File.class, name = "file"),
        @JsonSubTypes.Type(value = Part.StepStart.class, name = "step-start"),
        @JsonSubTypes.Type(value = Part.StepFinish.class, name = "step-finish"),
        @JsonSubTypes.Type(value = Part.Patch.class, name = "patch"),
        @JsonSubTypes.Type(value = Part.Compaction.class, name = "compaction"),
        @JsonSubTypes.Type(value = Part.Subtask.class, name = "subtask"),
        @JsonSubTypes.Type(value = Part.Retry.class, name = "retry"),
        @JsonSubTypes.Type(value = Part.ModelSwitch.class, name = "model-switch"),
        @JsonSubTypes.Type(value = Part.Hook.class, name = "hook")})
public sealed interface Part {
    PartId id();

    SessionId sessionId();

    MessageId messageId();

    /** Visible text. {@code synthetic} text was added by Lathe (environment, reminders), not typed or generated. */
    record Text(PartId id, SessionId sessionId, MessageId messageId, String text, boolean synthetic) implements Part {
        public Text withText(String newText) { return new Text(id, sessionId, messageId, newText, synthetic); }
    }

    /** Model reasoning; {@code providerMetadata} carries opaque state (e.g. a signature) to send back. */
    record Reasoning(PartId id, SessionId sessionId, MessageId messageId, String text, Map<String, String> providerMetadata)
            implements Part {}

    /** {@code providerMetadata} carries opaque provider state that goes back with the call (a Gemini thought signature). */
    record Tool(PartId id, SessionId sessionId, MessageId messageId, String callId, String tool, ToolState state,
            Map<String, String> providerMetadata) implements Part {
        public Tool {
            providerMetadata = providerMetadata == null ? Map.of() : Map.copyOf(providerMetadata);
        }

        public Tool(PartId id, SessionId sessionId, MessageId messageId, String callId, String tool, ToolState state) {
            this(id, sessionId, messageId, callId, tool, state, Map.of());
        }

        public Tool withState(ToolState next) { return new Tool(id, sessionId, messageId, callId, tool, next, providerMetadata); }

        /** How the call id of a command the user typed ({@code !cmd}, {@code POST /sessions/{id}/shell}) starts. */
        public static final String TYPED_BY_USER = "user_";

        /** Whether the user ran this command themselves ({@code !cmd}), not the model: clients say "you ran" (issue 82). */
        public boolean typedByUser() { return callId.startsWith(TYPED_BY_USER); }

        public RawJson input() { return state.input(); }
    }

    record File(PartId id, SessionId sessionId, MessageId messageId, String mime, String name, String url) implements Part {}

    /**
     * {@code promptHashes}: short hashes of the request's blocks ({@code system}, {@code tools}, {@code instructions},
     * {@code messages}), so a cache report can tell which block changed between two requests, and {@code sum}, the
     * checksum that made them.
     */
    record StepStart(PartId id, SessionId sessionId, MessageId messageId, Optional<String> snapshot, Map<String, String> promptHashes)
            implements Part {
        public StepStart {
            promptHashes = promptHashes == null ? Map.of() : Map.copyOf(promptHashes);
        }

        public StepStart(PartId id, SessionId sessionId, MessageId messageId, Optional<String> snapshot) {
            this(id, sessionId, messageId, snapshot, Map.of());
        }
    }

    /**
     * A step's end: its usage and cost, the tree after it, and the rate-limit windows its response reported
     * ({@code quota}, empty when the provider reported none).
     */
    record StepFinish(PartId id, SessionId sessionId, MessageId messageId, String reason, Usage usage, long cost,
            Optional<String> snapshot, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Quota> quota) implements Part {
        public StepFinish {
            quota = quota == null ? List.of() : List.copyOf(quota);
        }

        public StepFinish(PartId id, SessionId sessionId, MessageId messageId, String reason, Usage usage, long cost, Optional<String> snapshot) {
            this(id, sessionId, messageId, reason, usage, cost, snapshot, List.of());
        }

        /** This finish with the tree after the step. */
        public StepFinish withSnapshot(String tree) {
            return new StepFinish(id, sessionId, messageId, reason, usage, cost, Optional.of(tree), quota);
        }
    }

    record Patch(PartId id, SessionId sessionId, MessageId messageId, String snapshot, List<String> files) implements Part {}

    /**
     * The context was compacted here (DESIGN §12). {@code pruned}: tool calls whose outputs the model is now sent as a
     * placeholder (their stored output is untouched). With a summary, this part sits on a user message of its own whose
     * text carries the task and the user's instructions verbatim; {@code summaryMessageId} is the assistant message
     * answering it with the summary, and {@code keepFrom} the first earlier message still sent verbatim (absent: none).
     * The model is sent nothing older than that.
     */
    record Compaction(PartId id, SessionId sessionId, MessageId messageId, boolean auto, Optional<MessageId> summaryMessageId,
            List<String> pruned, Optional<MessageId> keepFrom) implements Part {
        public Compaction {
            pruned = pruned == null ? List.of() : List.copyOf(pruned);
            keepFrom = keepFrom == null ? Optional.empty() : keepFrom;
            summaryMessageId = summaryMessageId == null ? Optional.empty() : summaryMessageId;
        }

        public Compaction(PartId id, SessionId sessionId, MessageId messageId, boolean auto, Optional<MessageId> summaryMessageId) {
            this(id, sessionId, messageId, auto, summaryMessageId, List.of(), Optional.empty());
        }
    }

    record Subtask(PartId id, SessionId sessionId, MessageId messageId, SessionId childSessionId, String agent, String prompt)
            implements Part {}

    record Retry(PartId id, SessionId sessionId, MessageId messageId, int attempt, String error, long nextAt) implements Part {}

    record ModelSwitch(PartId id, SessionId sessionId, MessageId messageId, String from, String to, String reason) implements Part {}

    /**
     * One hook handler ran (DESIGN §14): shown to the user, never sent to the model as such (what a hook tells the model
     * reaches it through the tool result or the text it was added to). {@code event} is the wire name
     * ({@code PreToolUse}), {@code handler} the command line or URL as listings show it, {@code source} the file it was
     * written in, {@code matcher} as written (absent for none), {@code callId} the tool call of a tool event,
     * {@code exitCode} the process's exit code or an HTTP handler's status (absent when it was killed or never answered).
     * {@code decision} is short: {@code ok}, {@code allow}, {@code ask}, {@code deny}, {@code blocked}, {@code stopped},
     * {@code failed}, {@code timed out} or what the hook asked for; {@code message} the reason, error or notice (may be
     * empty).
     */
    record Hook(PartId id, SessionId sessionId, MessageId messageId, String event, String handler, String source, Optional<String> matcher,
            Optional<String> callId, Optional<Integer> exitCode, long durationMillis, String decision, String message) implements Part {
        public Hook {
            matcher = matcher == null ? Optional.empty() : matcher;
            callId = callId == null ? Optional.empty() : callId;
            exitCode = exitCode == null ? Optional.empty() : exitCode;
            message = message == null ? "" : message;
        }

        /** Whether the hook itself misbehaved (failed or timed out), as opposed to deciding something. */
        public boolean misbehaved() { return decision.equals("failed") || decision.equals("timed out"); }

        /**
         * One line for people, as every client shows a run:
         * {@code ⚙ PreToolUse ./guard.sh (.claude/settings.json) exit 2 · 12 ms · blocked: no pushes} (the message's first line).
         */
        public String line() {
            String first = message.strip().lines().findFirst().orElse("");
            return "⚙ " + event + " " + handler + " (" + source + ")" + exitCode.map(c -> " exit " + c).orElse("") + " · " + durationMillis + " ms · "
                    + decision + (first.isEmpty() ? "" : ": " + first);
        }
    }
}
