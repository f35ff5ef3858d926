package dev.lathe.run.console;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolRejection;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.term.VisibleControls;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How {@code lathe run} and the console client show a session as text: the assistant's text streamed as it arrives
 * on one stream, and one line per finished tool call ({@code ✓ read a.txt}, {@code ✗ bash <error>}) and per hook run
 * ({@code ⚙ PreToolUse ./guard.sh (.claude/settings.json) exit 2 · 12 ms · blocked: no pushes}) on another.
 * Synthetic text and reasoning are not shown, nor is a compaction's summary: a compaction shows as one line on the
 * tool stream. A tool or hook line is one line whatever the model or a hook wrote into it: its newlines and every
 * control are shown as text by the one sanitiser ({@link VisibleControls#line}, DESIGN §24), so a command cannot print
 * a line of its own that reads as Lathe's ({@code lathe: …}). Thread-safe for one event thread plus callers of {@link #endLine}.
 */
final class EventPrinter {
    private final PrintStream text;
    private final PrintStream tools;
    /** The text parts whose deltas are shown: their ids only, so the printer stays small however long the session (issue 55). */
    private final Set<PartId> shownTexts = ConcurrentHashMap.newKeySet();
    private final Set<PartId> printedTools = ConcurrentHashMap.newKeySet();
    /** The tool calls whose asks this client itself answered with reject (lathe run's policy, not a person). */
    private final Set<String> rejectedHere = ConcurrentHashMap.newKeySet();
    private final Set<MessageId> summaries = ConcurrentHashMap.newKeySet();
    /** How much of each text part was printed from its deltas. */
    private final Map<PartId, Integer> printedText = new ConcurrentHashMap<>();
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
                if (e.part() instanceof Part.Text t && !t.synthetic()) shownTexts.add(t.id());
                if (e.part() instanceof Part.Compaction c) c.summaryMessageId().ifPresent(summaries::add);
                printTool(e.part());
                printHook(e.part());
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
            case Event.NetworkBlocked b -> {
                endLine();
                tools.println("⊘ local-only: blocked " + b.by() + " → " + b.host() + " (nothing was sent)");
                tools.flush();
            }
            case Event.PartRemoved r -> {
                // a failed attempt's text (the provider broke off and the step is sent again) cannot be taken back
                // from a stream: the line says it does not count (issue 25)
                if (printedText.remove(r.partId()) != null) {
                    endLine();
                    tools.println("↺ the provider failed mid-answer: the text above is discarded and the step is sent again");
                    tools.flush();
                    if (r.partId().equals(lastText)) lastText = null;
                }
                shownTexts.remove(r.partId());
            }
            case Event.PartDelta d -> {
                if (shownTexts.contains(d.partId()) && !summaries.contains(d.messageId())) {
                    if (d.delta().isEmpty()) return;
                    paragraph(d.partId());
                    printedText.merge(d.partId(), d.delta().length(), Integer::sum);
                    text.print(d.delta());
                    text.flush();
                    midLine = !d.delta().endsWith("\n");
                }
            }
            default -> { }
        }
    }

    /**
     * Prints what {@code stored} (a turn's parts as the server stored them, in order) holds that the events did not
     * bring: the rest of a text part whose deltas were not all seen, a finished tool not yet shown. Events can be lost
     * between a server and a slow reader (a resync), and the answer a script reads must still be whole.
     */
    synchronized void complete(java.util.List<Part> stored) {
        for (Part part : stored) {
            switch (part) {
                case Part.Text t when !t.synthetic() && !summaries.contains(t.messageId()) -> {
                    int printed = printedText.getOrDefault(t.id(), 0);
                    if (printed >= t.text().length()) continue;
                    String rest = t.text().substring(printed);
                    paragraph(t.id());
                    text.print(rest);
                    text.flush();
                    printedText.put(t.id(), t.text().length());
                    midLine = !rest.endsWith("\n");
                }
                case Part.Tool tool -> printTool(tool);
                case Part.Hook hook -> printHook(hook);
                case Part.Text _, Part.Reasoning _, Part.File _, Part.StepStart _, Part.StepFinish _, Part.Patch _,
                        Part.Compaction _, Part.Subtask _, Part.Retry _, Part.ModelSwitch _ -> { }
            }
        }
    }

    /** Remembers that this client rejected the ask of tool call {@code callId}, so its line names the run, not the user (issue 53). */
    void rejectedHere(String callId) { rejectedHere.add(callId); }

    /** Remembers a part that was created before this printer saw events (attaching to a running turn). */
    void know(Part part) {
        if (part instanceof Part.Text t && !t.synthetic()) shownTexts.add(t.id());
        if (part instanceof Part.Tool t && (t.state() instanceof ToolState.Completed || t.state() instanceof ToolState.Failed)) {
            printedTools.add(t.id());
        }
        if (part instanceof Part.Hook) printedTools.add(part.id());
    }

    /**
     * A new text part (the next step's answer, after a tool call) starts a paragraph of its own: without the blank line
     * the steps' texts would run together on the text stream, where the tool lines between them are not.
     */
    private synchronized void paragraph(PartId part) {
        if (part.equals(lastText)) return;
        if (lastText != null) {
            endLine();
            text.println();
        }
        lastText = part;
    }

    private PartId lastText;

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
            case ToolState.Completed c -> failedCommand(c).map(why -> "✗ " + named(tool.tool(), c.title()) + " (" + why + ")")
                    .orElse("✓ " + named(tool.tool(), c.title()));
            // a denial (a deny rule's, or an ask nobody could answer): the model read it and went on (DESIGN §26)
            case ToolState.Failed f when f.rejection().filter(ToolRejection::denied).isPresent() ->
                    "⊘ " + DeniedCall.line(tool, f.rejection().get()).substring("lathe: denied: ".length()) + " — denied";
            case ToolState.Failed f when f.rejection().isPresent() -> "⊘ " + tool.tool() + " rejected by "
                    + (rejectedHere.contains(tool.callId()) ? "lathe run" : "you")
                    + f.rejection().get().message().map(m -> ": " + firstLine(m)).orElse("");
            case ToolState.Failed f -> "✗ " + tool.tool() + " " + firstLine(f.error());
            case ToolState.Pending _, ToolState.Running _ -> null;
        };
        if (line == null || !printedTools.add(tool.id())) return;
        endLine();
        // the model wrote the command: a newline in it must not start a line that reads as Lathe's (issue 79)
        tools.println(VisibleControls.line(line));
        tools.flush();
    }

    /** The tool and its call's title, the tool named once when the title already begins with it ({@code mcp_search echo}). */
    static String named(String tool, String title) {
        return title.equals(tool) || title.startsWith(tool + " ") ? title : tool + " " + title;
    }

    /** A hook run, once: hooks are never invisible, here as in the terminal UI. */
    private void printHook(Part part) {
        if (!(part instanceof Part.Hook hook) || !printedTools.add(hook.id())) return;
        endLine();
        tools.println(VisibleControls.line(hook.line()));
        tools.flush();
    }

    /** A command that ran to its end but failed: its exit code, or the time limit. */
    private static java.util.Optional<String> failedCommand(ToolState.Completed c) {
        if (!(c.display().orElse(null) instanceof ToolDisplay.CommandRun run)) return java.util.Optional.empty();
        if (run.timedOut()) return java.util.Optional.of("timed out");
        return run.exitCode().filter(code -> code != 0).map(code -> "exit " + code);
    }

    static String firstLine(String s) {
        String first = s.lines().findFirst().orElse("");
        return first.length() > 160 ? first.substring(0, 157) + "..." : first;
    }
}
