package dev.lathe.protocol.session;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.lathe.protocol.RawJson;
import java.util.Map;
import java.util.Optional;

/** Life of one tool call; wire {@code status} is {@code pending | running | completed | failed}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "status")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ToolState.Pending.class, name = "pending"),
        @JsonSubTypes.Type(value = ToolState.Running.class, name = "running"),
        @JsonSubTypes.Type(value = ToolState.Completed.class, name = "completed"),
        @JsonSubTypes.Type(value = ToolState.Failed.class, name = "failed")})
public sealed interface ToolState {
    RawJson input();

    /** What a client shows for the call, when the tool gave it: a pending call carries none. */
    default Optional<ToolDisplay> display() {
        return switch (this) {
            case Running r -> r.display();
            case Completed c -> c.display();
            case Failed f -> f.display();
            case Pending _ -> Optional.empty();
        };
    }

    /** Arguments are still streaming or the call waits to be started. */
    record Pending(RawJson input) implements ToolState {}

    /**
     * {@code output} holds live output so far (bash), empty for most tools; {@code display} what the tool announced
     * from its arguments as it started (a command line, a subagent's name), absent for most tools and in rows written
     * before it existed; {@code progress} how far the call has got when its tool reports that (an MCP server's
     * progress notifications), absent otherwise.
     */
    record Running(RawJson input, String title, long startedAt, String output, Optional<ToolDisplay> display,
            Optional<CallProgress> progress) implements ToolState {
        public Running {
            display = display == null ? Optional.empty() : display;
            progress = progress == null ? Optional.empty() : progress;
        }

        public Running(RawJson input, String title, long startedAt, String output, Optional<ToolDisplay> display) {
            this(input, title, startedAt, output, display, Optional.empty());
        }

        public Running(RawJson input, String title, long startedAt, String output) {
            this(input, title, startedAt, output, Optional.empty());
        }
    }

    /**
     * {@code attachments}: files for the model beside the text (absent in rows written before they existed);
     * {@code metadata}: the tool's string facts for scripts; {@code display}: what a client shows, typed (absent for
     * tools that give none and in rows written before it existed).
     */
    record Completed(RawJson input, String output, String title, Map<String, String> metadata, long startedAt, long endedAt,
            java.util.List<Attachment> attachments, Optional<ToolDisplay> display) implements ToolState {
        public Completed {
            attachments = attachments == null ? java.util.List.of() : java.util.List.copyOf(attachments);
            display = display == null ? Optional.empty() : display;
        }

        public Completed(RawJson input, String output, String title, Map<String, String> metadata, long startedAt, long endedAt,
                java.util.List<Attachment> attachments) {
            this(input, output, title, metadata, startedAt, endedAt, attachments, Optional.empty());
        }

        public Completed(RawJson input, String output, String title, Map<String, String> metadata, long startedAt, long endedAt) {
            this(input, output, title, metadata, startedAt, endedAt, java.util.List.of());
        }
    }

    /**
     * {@code display}: what the tool announced as it started, when it did (a failed subagent run still shows its agent);
     * {@code rejection}: present when the call never ran because the user rejected its permission ask ({@code error}
     * is then what the model was told).
     */
    record Failed(RawJson input, String error, long startedAt, long endedAt, Optional<ToolDisplay> display, Optional<ToolRejection> rejection)
            implements ToolState {
        public Failed {
            display = display == null ? Optional.empty() : display;
            rejection = rejection == null ? Optional.empty() : rejection;
        }

        public Failed(RawJson input, String error, long startedAt, long endedAt, Optional<ToolDisplay> display) {
            this(input, error, startedAt, endedAt, display, Optional.empty());
        }

        public Failed(RawJson input, String error, long startedAt, long endedAt) {
            this(input, error, startedAt, endedAt, Optional.empty());
        }
    }

    static String status(ToolState state) {
        return switch (state) {
            case Pending _ -> "pending";
            case Running _ -> "running";
            case Completed _ -> "completed";
            case Failed _ -> "failed";
        };
    }
}
