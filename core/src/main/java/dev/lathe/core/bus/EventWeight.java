package dev.lathe.core.bus;

import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import java.util.Map;
import java.util.Optional;

/**
 * Roughly what an event holds in memory, in characters of its text: a tool part carries its input, its output (up to
 * 50 KB), a diff and perhaps an image, where most events are a few ids. The replay ring is bounded by this sum as well
 * as by its count, so 20,000 events of big outputs cannot hold a gigabyte (decision 117). An estimate: strings are
 * counted by length, the records around them by a flat {@link #BASE}.
 */
final class EventWeight {
    /** An envelope, its event record and ids. */
    static final long BASE = 200;

    private EventWeight() {}

    static long of(Event event) {
        return BASE + switch (event) {
            case Event.PartUpdated p -> of(p.part());
            case Event.PartDelta d -> d.delta().length();
            case Event.TodoUpdated t -> t.todos().size() * BASE;
            case Event.LspDiagnostics l -> l.problems().size() * BASE;
            // rare, and they may carry a diff or a file's text: counted by what they print
            case Event.PermissionAsked a -> a.request().toString().length();
            case Event.QuestionAsked q -> q.request().toString().length();
            case Event.EditorRequested r -> r.request().toString().length();
            default -> 0;
        };
    }

    static long of(Part part) {
        return switch (part) {
            case Part.Text t -> t.text().length();
            case Part.Reasoning r -> r.text().length();
            case Part.Tool t -> of(t.state());
            case Part.File f -> f.url().length();
            case Part.Subtask s -> s.prompt().length();
            case Part.StepStart _, Part.StepFinish _, Part.Patch _, Part.Compaction _, Part.Retry _, Part.ModelSwitch _,
                    Part.Hook _ -> BASE;
        };
    }

    private static long of(ToolState state) {
        return switch (state) {
            case ToolState.Pending p -> p.input().json().length();
            case ToolState.Running r -> r.input().json().length() + r.output().length() + of(r.display());
            case ToolState.Completed c -> c.input().json().length() + c.output().length() + of(c.metadata()) + of(c.display())
                    + c.attachments().stream().mapToLong(a -> a.url().length()).sum();
            case ToolState.Failed f -> f.input().json().length() + f.error().length() + of(f.display());
        };
    }

    private static long of(Map<String, String> metadata) {
        long sum = 0;
        for (var e : metadata.entrySet()) sum += e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length());
        return sum;
    }

    private static long of(Optional<ToolDisplay> display) {
        return display.map(d -> d instanceof ToolDisplay.FileChange c ? (long) c.diff().length() : BASE).orElse(0L);
    }
}
