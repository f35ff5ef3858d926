package dev.lathe.tui.console;

import dev.lathe.protocol.PartId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How {@code lathe run} and the console client show a session as text: the assistant's text streamed as it arrives
 * on one stream, and one line per finished tool call ({@code ✓ read a.txt}, {@code ✗ bash <error>}) on another.
 * Synthetic text and reasoning are not shown, nor is a compaction's summary: a compaction shows as one line on the
 * tool stream. Thread-safe for one event thread plus callers of {@link #endLine}.
 */
final class EventPrinter {
    private final PrintStream text;
    private final PrintStream tools;
    private final Map<PartId, Part> parts = new ConcurrentHashMap<>();
    private final Set<PartId> printedTools = ConcurrentHashMap.newKeySet();
    private final Set<dev.lathe.protocol.MessageId> summaries = ConcurrentHashMap.newKeySet();
    private volatile boolean midLine;

    /** @param tools where tool lines go; may be the same stream as {@code text} */
    EventPrinter(PrintStream text, PrintStream tools) {
        this.text = text;
        this.tools = tools;
    }

    /** Shows what {@code event} adds; events other than part updates and deltas are ignored. */
    void on(Event event) {
        switch (event) {
            case Event.PartUpdated e -> {
                parts.put(e.part().id(), e.part());
                if (e.part() instanceof Part.Compaction c) c.summaryMessageId().ifPresent(summaries::add);
                printTool(e.part());
            }
            case Event.SessionCompacted c -> {
                endLine();
                tools.println(c.summaryMessageId().isPresent() ? "⇣ context compacted: earlier turns summarised" : "⇣ context compacted: old tool outputs pruned");
                tools.flush();
            }
            case Event.ConfigErrored e -> {
                endLine();
                tools.println("⚠ config: " + e.message() + " (this turn keeps the last good config; new prompts are refused until it is fixed)");
                tools.flush();
            }
            case Event.PartDelta d -> {
                if (parts.get(d.partId()) instanceof Part.Text t && !t.synthetic() && !summaries.contains(d.messageId())) {
                    text.print(d.delta());
                    text.flush();
                    if (!d.delta().isEmpty()) midLine = !d.delta().endsWith("\n");
                }
            }
            default -> { }
        }
    }

    /** Remembers a part that was created before this printer saw events (attaching to a running turn). */
    void know(Part part) {
        parts.put(part.id(), part);
        if (part instanceof Part.Tool t && (t.state() instanceof ToolState.Completed || t.state() instanceof ToolState.Failed)) {
            printedTools.add(t.id());
        }
    }

    /** Ends a half-written line of streamed text, so what follows starts on a line of its own. */
    synchronized void endLine() {
        if (!midLine) return;
        text.println();
        text.flush();
        midLine = false;
    }

    private void printTool(Part part) {
        if (!(part instanceof Part.Tool tool)) return;
        String line = switch (tool.state()) {
            case ToolState.Completed c -> "✓ " + tool.tool() + " " + c.title();
            case ToolState.Failed f -> "✗ " + tool.tool() + " " + firstLine(f.error());
            case ToolState.Pending _, ToolState.Running _ -> null;
        };
        if (line == null || !printedTools.add(tool.id())) return;
        endLine();
        tools.println(line);
        tools.flush();
    }

    static String firstLine(String s) {
        String first = s.lines().findFirst().orElse("");
        return first.length() > 160 ? first.substring(0, 157) + "..." : first;
    }
}
