package dev.lathe.tui.view;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptNotRun;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tui.render.StreamingSplit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jline.utils.AttributedString;

/**
 * The blocks of one session that are not in the scrollback yet, in the order they appeared. Finished blocks at the
 * front are handed out by {@link #takeCommit} to be printed once; streaming assistant text is handed out paragraph
 * by paragraph as its blocks complete, so a long answer scrolls naturally instead of growing a live region taller
 * than the screen.
 */
public final class Transcript {
    private final SessionId session;
    private final LinkedHashMap<String, Block> blocks = new LinkedHashMap<>();
    private final Set<String> committed = new HashSet<>();
    private final Set<MessageId> userMessages = new HashSet<>();
    /**
     * Messages sent while a turn ran and not yet shown to the model: they wait below the live blocks, marked queued,
     * and take their place in the transcript when the server opens an assistant message after them (answering them,
     * or answering an earlier one whose history already held them), so the screen keeps the order the model saw.
     */
    private final java.util.TreeSet<MessageId> waiting = new java.util.TreeSet<>();
    private final LinkedHashMap<String, Block> queued = new LinkedHashMap<>();
    /** Waiting messages queued behind the running turn ({@link PromptQueued}'s mark): they wait for its end. */
    private final Set<MessageId> behindTurn = new HashSet<>();
    private boolean serverBusy;
    private int notices;
    /** What auto-approval's classifier decided about this session's calls (DESIGN §31). */
    private final AutoVerdicts autos = new AutoVerdicts();

    public Transcript(SessionId session) { this.session = session; }

    public SessionId session() { return session; }

    /** What auto-approval's classifier decided about this session's calls, as far as this transcript saw. */
    public AutoVerdicts.Lookup autos() { return autos::of; }

    /**
     * The history as stored, all of it finished except, while a turn runs, the parts that may still stream.
     *
     * @param keepLast how many of the newest messages to show (older ones are summarised in one line)
     */
    public void load(List<MessageWithParts> history, boolean busy, int keepLast) {
        load(history, busy, keepLast, false);
    }

    /**
     * As {@link #load(List, boolean, int)} for a history that is the newest page of the session's: {@code earlierStored}
     * says older messages exist that were not fetched, and a line above the page says so.
     */
    public void load(List<MessageWithParts> history, boolean busy, int keepLast, boolean earlierStored) {
        serverBusy = busy;
        int skip = Math.max(0, history.size() - keepLast);
        if (skip > 0) notice(List.of(new AttributedString("… " + Footer.count(skip, "earlier message", "earlier messages") + " (ctrl+o or lathe export " + session.value() + " shows them all)")));
        else if (earlierStored) notice(List.of(new AttributedString("↑ earlier messages (ctrl+o scrolls back through them, lathe export " + session.value() + " has them all)")));
        for (int i = skip; i < history.size(); i++) {
            MessageWithParts m = history.get(i);
            boolean last = i == history.size() - 1;
            if (m.info() instanceof UserMessage u) userMessages.add(u.id());
            for (Part p : m.parts()) {
                Block b = blockFor(p);
                b.part = Optional.of(p);
                setText(b, p);
                b.done = !(busy && last) || finished(p);
                b.updates = 2;
                if (answers(p)) answered.add(p.messageId());
            }
            if (m.info() instanceof AssistantMessage a) interrupted(a);
        }
    }

    /** Whether the newest answer was stopped before its end (by the user, or the server going away). */
    private boolean stopped;

    /** Assistant messages that showed something of an answer (text, reasoning, a tool call). */
    private final Set<MessageId> answered = new HashSet<>();

    private static boolean answers(Part p) {
        return p instanceof Part.Text t && !t.synthetic() && !t.text().isBlank() || p instanceof Part.Reasoning || p instanceof Part.Tool;
    }

    /**
     * The marker under a turn that was stopped — by the user or by the server going away — live and when the session
     * is opened again. A turn stopped before it answered anything leaves its prompt unanswered, and the model gets
     * that prompt together with the next one (the stored history has two user messages in a row): the marker says
     * so, rather than letting the two be merged unseen.
     */
    private void interrupted(AssistantMessage a) {
        stopped = a.completedAt().isPresent() && a.error().isPresent();
        if (a.completedAt().isEmpty() || a.error().isEmpty()) return;
        var error = a.error().get();
        String why = switch (error.kind()) {
            case "aborted" -> "⎋ Interrupted";
            case "interrupted" -> "⎋ Interrupted when the server stopped";
            case "permission_rejected" -> "";
            // a turn that failed says so when the session is opened again too, not only live (issue 71); the same
            // notice as the live error's, so a live failure is said once
            default -> {
                failed(error);
                yield "";
            }
        };
        if (why.isEmpty()) return;
        noticeOnce("aborted-" + a.id().value(), answered.contains(a.id()) ? why
                : why + ", before any answer: the model gets this prompt with your next one");
    }

    public boolean busy() { return serverBusy; }

    /**
     * When the running turn started, by the server's clock: its open answer's creation, else (no answer opened yet)
     * the newest prompt's. Empty when the history has neither. A reattached UI counts from here, not from its own start.
     */
    public static Optional<Long> turnStart(List<MessageWithParts> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).info() instanceof AssistantMessage a && a.completedAt().isEmpty()) return Optional.of(a.createdAt());
        }
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).info() instanceof UserMessage u) return Optional.of(u.createdAt());
        }
        return Optional.empty();
    }

    /** Lines of the UI itself, in order with the conversation. */
    public void notice(List<AttributedString> lines) {
        var b = new Block("notice-" + notices++, new Block.Kind.Notice(lines), Optional.empty());
        b.done = true;
        blocks.put(b.key, b);
    }

    /** Applies an event of this session; returns whether anything shown changed. */
    public boolean apply(Event event) {
        switch (event) {
            case Event.MessageUpdated m -> {
                switch (m.info()) {
                    case UserMessage u -> {
                        if (userMessages.add(u.id()) && serverBusy) waiting.add(u.id());
                    }
                    case AssistantMessage a -> {
                        // every waiting message older than this answer is stored before it, so the model is shown it
                        // first: the one it answers, and any sent before the turn read its history (they join the request)
                        if (a.completedAt().isEmpty()) deliver(steered(waiting.headSet(a.id(), false)));
                        // a prompt queued behind the turn reaches the model when the turn that answers it starts (the
                        // session stays busy from one turn to the next, so no idle delivers it)
                        if (behindTurn.contains(a.parentId())) deliver(new java.util.TreeSet<>(List.of(a.parentId())));
                        if (a.completedAt().isPresent()) {
                            blocks.values().stream().filter(b -> b.part.map(p -> p.messageId().equals(a.id())).orElse(false))
                                    .forEach(b -> b.done = true);
                        }
                        interrupted(a);
                        a.error().filter(e -> e.kind().equals("permission_rejected") && a.completedAt().isPresent())
                                .ifPresent(_ -> noticeOnce("rejected-" + a.id().value(), "⊘ Rejected by you; the agent stopped and waits for what to do instead"));
                    }
                }
                return true;
            }
            case Event.PartUpdated u -> {
                Part p = u.part();
                if (committed.contains(p.id().value())) return false;
                // a queued message the stopped turn left not run: it leaves the queue here (its text goes back to the
                // input); the stored transcript keeps it, shown as not run when the session is loaded again
                if (waiting.contains(p.messageId()) && p instanceof Part.Text t && t.synthetic()
                        && PromptNotRun.marks(List.of(t))) {
                    waiting.remove(p.messageId());
                    queued.values().removeIf(b -> b.part.map(q -> q.messageId().equals(p.messageId())).orElse(false));
                    return true;
                }
                // the mark of a prompt queued behind the turn (not steered into it): its blocks say so, and it waits
                // for the turn's end rather than its next step
                if (waiting.contains(p.messageId()) && PromptQueued.marks(List.of(p))) {
                    behindTurn.add(p.messageId());
                    queued.replaceAll((key, b) -> b.part.filter(q -> q.messageId().equals(p.messageId())).isPresent() ? rewaited(b, Block.Waiting.AFTER_TURN) : b);
                    return true;
                }
                if (waiting.contains(p.messageId())) {
                    var how = behindTurn.contains(p.messageId()) ? Block.Waiting.AFTER_TURN : Block.Waiting.NEXT_STEP;
                    Block w = queued.computeIfAbsent(p.id().value(), key -> new Block(key, new Block.Kind.User(how), Optional.of(p)));
                    w.part = Optional.of(p);
                    setText(w, p);
                    return true;
                }
                Block b = blockFor(p);
                b.part = Optional.of(p);
                b.updates++;
                if (answers(p)) answered.add(p.messageId());
                setText(b, p);
                boolean user = userMessages.contains(p.messageId());
                if (user || finished(p) || ((p instanceof Part.Text || p instanceof Part.Reasoning) && b.updates >= 2 && !b.text.isEmpty())) {
                    b.done = true;
                }
                if (!user) earlierStreamsDone(b);
                return true;
            }
            case Event.PartDelta d -> {
                if (committed.contains(d.partId().value()) || !d.field().equals("text")) return false;
                Block b = blocks.get(d.partId().value());
                if (b == null) return false;  // its start event comes first; a missed one is repaired by a resync
                // a delta the loaded history already holds (it carries streaming text up to its moment) adds only the rest
                int held = b.text.length();
                int skip = d.offset() < 0 || d.offset() > held ? 0 : Math.min(held - d.offset(), d.delta().length());
                if (skip == d.delta().length()) return false;
                b.text.append(d.delta(), skip, d.delta().length());
                return true;
            }
            case Event.PartRemoved r -> {
                String key = r.partId().value();
                Block removed = blocks.remove(key);
                boolean changed = removed != null | queued.remove(key) != null;
                // a failed attempt's text (the provider broke off, the step is sent again) already in the scrollback
                // cannot be taken back from the terminal: a line says it does not count (issue 25)
                if (committed.contains(key) || removed != null && removed.committedChars > 0) {
                    noticeOnce("discarded-" + key, "↺ the provider failed mid-answer: the text above is discarded and the step is sent again");
                    return true;
                }
                return changed;
            }
            case Event.MessageRemoved r -> {
                waiting.remove(r.messageId());
                behindTurn.remove(r.messageId());
                queued.values().removeIf(b -> b.part.map(p -> p.messageId().equals(r.messageId())).orElse(false));
                return blocks.values().removeIf(b -> b.part.map(p -> p.messageId().equals(r.messageId())).orElse(false));
            }
            case Event.SessionStatusChanged s -> {
                serverBusy = !(s.status() instanceof SessionStatus.Idle);
                if (!serverBusy) {
                    boolean unanswered = stopped && !waiting.isEmpty();
                    deliver(waiting);
                    // the turn was stopped with messages still queued: they are stored, unanswered, and the model gets
                    // them with the next prompt (the server cannot take them back without reverting the turn's files)
                    if (unanswered) noticeOnce("unanswered-" + notices++, "↳ not answered, the turn was interrupted: the model gets it with your next message");
                    blocks.values().forEach(b -> b.done = true);
                }
                return true;
            }
            case Event.SessionErrored e -> {
                // the user's own "no" is noted with its message (below), not shown as an error
                if (!e.error().kind().equals("aborted") && !e.error().kind().equals("permission_rejected")) failed(e.error());
                return true;
            }
            case Event.PermissionAutoDecided d -> {
                autos.decided(d);
                // its call's block is redrawn with the line, unless it is in the scrollback already
                return blocks.values().stream().anyMatch(b -> b.part.orElse(null) instanceof Part.Tool t && t.callId().equals(d.call()));
            }
            default -> { return false; }
        }
    }

    /** The queued messages {@code ids} reached the model: they move into the transcript, after what came before. */
    private void deliver(java.util.SortedSet<MessageId> ids) {
        var reached = new java.util.ArrayList<>(ids);
        waiting.removeAll(reached);
        var it = queued.values().iterator();
        while (it.hasNext()) {
            Block w = it.next();
            if (w.part.isEmpty() || !reached.contains(w.part.get().messageId())) continue;
            it.remove();
            var b = rewaited(w, Block.Waiting.NO);
            b.done = true;
            blocks.put(b.key, b);
        }
        behindTurn.removeAll(reached);
    }

    /** Of the waiting messages {@code ids}, those steered into the running turn (not queued behind it). */
    private java.util.SortedSet<MessageId> steered(java.util.SortedSet<MessageId> ids) {
        var out = new java.util.TreeSet<>(ids);
        out.removeAll(behindTurn);
        return out;
    }

    /** A copy of the user's block {@code b} that waits as {@code how}. */
    private static Block rewaited(Block b, Block.Waiting how) {
        var copy = new Block(b.key, new Block.Kind.User(how), b.part);
        copy.text.append(b.text);
        return copy;
    }

    /** The line under a turn that ended with {@code error}. */
    private void failed(MessageError error) {
        noticeOnce("error-" + error.message().hashCode(), "✗ " + error.kind() + ": " + error.message());
    }

    private void noticeOnce(String key, String text) {
        if (blocks.containsKey(key) || committed.contains(key)) return;
        var b = new Block(key, new Block.Kind.Notice(List.of(AttributedString.EMPTY, new AttributedString(text))), Optional.empty());
        b.done = true;
        blocks.put(key, b);
    }

    /** The model moved on: text and reasoning blocks before {@code latest} in its message stream no more. */
    private void earlierStreamsDone(Block latest) {
        for (Block b : blocks.values()) {
            if (b == latest) return;
            if (b.part.isPresent() && (b.part.get() instanceof Part.Text || b.part.get() instanceof Part.Reasoning)
                    && b.part.get().messageId().equals(latest.part.get().messageId())) {
                b.done = true;
            }
        }
    }

    private Block blockFor(Part p) {
        return blocks.computeIfAbsent(p.id().value(), key -> new Block(key,
                userMessages.contains(p.messageId()) ? new Block.Kind.User(Block.Waiting.NO) : new Block.Kind.Assistant(), Optional.of(p)));
    }

    private static void setText(Block b, Part p) {
        String text = switch (p) {
            case Part.Text t -> t.text();
            case Part.Reasoning r -> r.text();
            case Part.Tool _, Part.File _, Part.StepStart _, Part.StepFinish _, Part.Patch _, Part.Compaction _,
                    Part.Subtask _, Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> null;
        };
        // a stored snapshot may lag the deltas already shown: never go backwards
        if (text != null && text.length() >= b.text.length()) {
            b.text.setLength(0);
            b.text.append(text);
        }
    }

    private static boolean finished(Part p) {
        return switch (p) {
            case Part.Tool t -> t.state() instanceof ToolState.Completed || t.state() instanceof ToolState.Failed;
            case Part.Text _, Part.Reasoning _ -> false;
            case Part.File _, Part.StepStart _, Part.StepFinish _, Part.Patch _, Part.Compaction _, Part.Subtask _,
                    Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> true;
        };
    }

    /**
     * Removes and renders what may go to scrollback now: the finished blocks at the front, and of a streaming text
     * block at the front, its complete paragraphs.
     */
    public List<AttributedString> takeCommit(BlockView view, int width, boolean details) {
        var out = new ArrayList<AttributedString>();
        var it = blocks.values().iterator();
        while (it.hasNext()) {
            Block b = it.next();
            if (b.done) {
                out.addAll(view.render(b, width, b.committedChars, details, 0));
                committed.add(b.key);
                it.remove();
                continue;
            }
            if (b.kind instanceof Block.Kind.Assistant && b.part.isPresent() && b.part.get() instanceof Part.Text) {
                String text = b.text();
                int stable = StreamingSplit.stableLength(text);
                if (stable > b.committedChars) {
                    out.addAll(view.text(text.substring(b.committedChars, stable), width));
                    b.committedChars = stable;
                }
            }
            break;
        }
        return out;
    }

    /** What the messages waiting for the model say, oldest first (the text the user typed, not what the server added). */
    public List<String> queuedTexts() {
        return queued.values().stream()
                .filter(b -> b.part.orElse(null) instanceof Part.Text t && !t.synthetic() && !b.text().isBlank())
                .map(Block::text).toList();
    }

    /** The blocks not yet committed, as they look now. */
    public List<AttributedString> live(BlockView view, int width, boolean details, int spinnerFrame) {
        var out = new ArrayList<AttributedString>();
        for (Block b : blocks.values()) out.addAll(view.render(b, width, b.committedChars, details, spinnerFrame));
        for (Block b : queued.values()) out.addAll(view.render(b, width, 0, details, spinnerFrame));
        return out;
    }
}
