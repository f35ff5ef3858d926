package dev.lathe.protocol.session;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.lathe.protocol.RawJson;
import java.util.Map;

/** Life of one tool call; wire {@code status} is {@code pending | running | completed | failed}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "status")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ToolState.Pending.class, name = "pending"),
        @JsonSubTypes.Type(value = ToolState.Running.class, name = "running"),
        @JsonSubTypes.Type(value = ToolState.Completed.class, name = "completed"),
        @JsonSubTypes.Type(value = ToolState.Failed.class, name = "failed")})
public sealed interface ToolState {
    RawJson input();

    /** Arguments are still streaming or the call waits to be started. */
    record Pending(RawJson input) implements ToolState {}

    /** {@code output} holds live output so far (bash), empty for most tools. */
    record Running(RawJson input, String title, long startedAt, String output) implements ToolState {}

    /** {@code attachments}: files for the model beside the text (absent in rows written before they existed). */
    record Completed(RawJson input, String output, String title, Map<String, String> metadata, long startedAt, long endedAt,
            java.util.List<Attachment> attachments) implements ToolState {
        public Completed {
            attachments = attachments == null ? java.util.List.of() : java.util.List.copyOf(attachments);
        }

        public Completed(RawJson input, String output, String title, Map<String, String> metadata, long startedAt, long endedAt) {
            this(input, output, title, metadata, startedAt, endedAt, java.util.List.of());
        }
    }

    record Failed(RawJson input, String error, long startedAt, long endedAt) implements ToolState {}

    static String status(ToolState state) {
        return switch (state) {
            case Pending _ -> "pending";
            case Running _ -> "running";
            case Completed _ -> "completed";
            case Failed _ -> "failed";
        };
    }
}
