package dev.lathe.core.session.history;

import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.inbox.PromptIntake;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.session.journal.SessionJournal;
import dev.lathe.core.session.turn.CarryOver;
import dev.lathe.core.session.turn.Compactor;
import dev.lathe.core.session.turn.TurnServices;
import dev.lathe.core.snapshot.Snapshots;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.RewindRequest;
import dev.lathe.protocol.api.RewindResult;
import dev.lathe.protocol.api.RewoundTurns;
import dev.lathe.protocol.session.MessageRewound;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tools.builtin.FileReads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rewind of one session to just before a user message (DESIGN §18 "Rewind"): its files, its conversation or both.
 * Files come back from the same step snapshots undo uses ({@link Reverts}): each file a patch part from that message on
 * names goes back to the tree before the first patch that touched it, so changes bash made are covered as much as those
 * of the edit tools. A file whose content now differs from what the agent's last step touching it left (the user, an
 * editor or another session changed it since) is named and left alone unless the request says otherwise. The
 * conversation is rewound by marking each later user message ({@link MessageRewound}): kept in the store and listed,
 * never sent to the model again.
 */
public final class Rewinds {
    private final Journal journal;
    private final TurnServices services;

    public Rewinds(Journal journal, TurnServices services) {
        this.journal = journal;
        this.services = services;
    }

    RewindResult rewind(Session session, Snapshots snapshots, RewindRequest request) {
        List<MessageWithParts> later = later(session, request.messageId());
        FileOutcome files = request.restore().files() ? restoreFiles(session, later, snapshots, request.outsideEdits()) : FileOutcome.NONE;
        List<MessageId> rewound = request.restore().messages() ? markRewound(session, later) : List.of();
        Session updated = session.withRevert(session.revert(), System.currentTimeMillis());
        journal.session(updated);
        return new RewindResult(updated, files.restored(), files.kept(), rewound);
    }

    /**
     * "Summarise from here": the model summarises the turns from the prompt {@code to} on ({@link Compactor#summariseFrom}),
     * then they are marked rewound, so the model reads the conversation before them and then the summary; the files stay
     * as they are. Runs as the session's task (busy meanwhile; an abort stops it and nothing is rewound).
     */
    RewindResult summarise(Session current, Project project, Cancellation cancel, MessageId to) {
        List<MessageWithParts> later = summarisable(current, to);
        String firstLine = CarryOver.typedText(later.getFirst()).strip().lines().findFirst().orElse("");
        if (firstLine.length() > 80) firstLine = firstLine.substring(0, 79) + "\u2026";
        ResolvedModel model = PromptIntake.resolve(project, current.model());
        var idle = Duration.ofSeconds(Math.max(1, project.config().retry().streamIdleTimeoutSeconds()));
        Compactor.Outcome outcome = new Compactor(services, project, current, model, cancel, idle).summariseFrom(firstLine);
        switch (outcome.kind()) {
            case SUMMARISED -> { }
            case ABORTED -> throw new LatheException.Conflict("the summary was stopped; nothing was rewound");
            case BLOCKED -> throw new LatheException.Conflict("a PreCompact hook refused the summary: " + outcome.blockedBy());
            case NOTHING, PRUNED, FALLBACK -> throw new LatheException.Conflict("the model could not summarise those turns (" + outcome.blockedBy()
                    + "); nothing was rewound");
        }
        List<MessageId> rewound = markRewound(current, later);
        Session updated = current.withRevert(current.revert(), System.currentTimeMillis());
        journal.session(updated);
        return new RewindResult(updated, List.of(), List.of(), rewound, outcome.summary());
    }

    /** The turns "summarise from here" would replace: as {@link #later}, and none of them rewound yet. */
    List<MessageWithParts> summarisable(Session session, MessageId to) {
        List<MessageWithParts> later = later(session, to);
        if (RewoundTurns.of(later).contains(to)) {
            throw new LatheException.Conflict("message " + to + " was rewound already: summarise from a message the model still reads");
        }
        return later;
    }

    /** The messages shown from the prompt {@code to} on; refuses a message that is not a visible prompt of the user's. */
    private List<MessageWithParts> later(Session session, MessageId to) {
        List<MessageWithParts> stored = journal.messages().bySession(session.id());
        MessageWithParts target = stored.stream().filter(m -> m.info().id().equals(to)).findFirst()
                .orElseThrow(() -> new LatheException.NotFound("no message " + to + " in session " + session.id()));
        if (!(target.info() instanceof UserMessage) || Compactor.isOwnMessage(target)) {
            throw new LatheException.InvalidInput("message " + to + " is not a message you sent: rewind goes back to just before one of your prompts");
        }
        List<MessageWithParts> shown = Reverts.visible(session, stored);
        if (!shown.contains(target)) {
            throw new LatheException.Conflict("message " + to + " was undone: redo it first, or rewind to an earlier message");
        }
        return shown.stream().filter(m -> m.info().id().compareTo(to) >= 0).toList();
    }

    /** The files put back and those left as they are because they changed outside the agent. */
    private record FileOutcome(List<String> restored, List<String> kept) {
        static final FileOutcome NONE = new FileOutcome(List.of(), List.of());
    }

    private FileOutcome restoreFiles(Session session, List<MessageWithParts> later, Snapshots snapshots, RewindRequest.OutsideEdits outsideEdits) {
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, Optional<String>> lastAfter = new LinkedHashMap<>();
        for (MessageWithParts m : later) {
            Part.Patch pending = null;
            for (Part p : m.parts()) {
                if (p instanceof Part.Patch patch) {
                    for (String f : patch.files()) {
                        before.putIfAbsent(f, patch.snapshot());
                        lastAfter.put(f, Optional.empty());
                    }
                    pending = patch;
                } else if (p instanceof Part.StepFinish finish && pending != null) {
                    // the patch's id is taken before its step's finish: the finish right after it holds the tree after
                    for (String f : pending.files()) lastAfter.put(f, finish.snapshot());
                    pending = null;
                }
            }
        }
        if (before.isEmpty()) return FileOutcome.NONE;
        // all or nothing: a tree gc pruned would leave the files half restored
        for (String tree : new HashSet<>(before.values())) {
            if (!snapshots.has(tree)) throw new LatheException.Conflict("the snapshots of these messages were garbage-collected; their files cannot be restored");
        }
        String now = snapshots.track().orElseThrow(() -> new LatheException.Conflict("snapshots are off for this project (is git installed?)"));
        Set<String> outside = changedOutside(lastAfter, now, snapshots);
        // a file an earlier rewind put back differs from what the agent's step left, by the rewind's doing, not the user's
        Optional<String> rewoundTree = snapshots.kept(refName(session)).filter(snapshots::has);
        if (!outside.isEmpty() && rewoundTree.isPresent()) outside.retainAll(snapshots.changed(rewoundTree.get(), now));
        if (!outside.isEmpty() && outsideEdits == RewindRequest.OutsideEdits.ASK) {
            throw new LatheException.Conflict(outside.size() + (outside.size() == 1 ? " file" : " files") + " changed outside the agent since then: "
                    + String.join(", ", outside) + ". Rewind again with \"confirm\": true to restore them too, or \"confirm\": false to keep them as they are");
        }
        List<String> kept = outsideEdits == RewindRequest.OutsideEdits.KEEP ? List.copyOf(outside) : List.of();
        Map<String, List<String>> byTree = new LinkedHashMap<>();
        before.forEach((file, tree) -> {
            if (!kept.contains(file)) byTree.computeIfAbsent(tree, _ -> new ArrayList<>()).add(file);
        });
        // what Lathe put back is a version the model saw: its next edit of the file is not refused as someone else's change
        byTree.forEach((tree, files) -> FileReads.shared().restored(session.id().value(), snapshots.restore(tree, files)));
        // the files as this rewind left them: what the next rewind compares with before it calls a change the user's
        snapshots.track().ifPresent(tree -> snapshots.keep(refName(session), Optional.of(tree)));
        List<String> restored = before.keySet().stream().filter(f -> !kept.contains(f)).sorted().toList();
        return new FileOutcome(restored, kept);
    }

    /**
     * The files whose content now ({@code now}) differs from the tree after the last step that touched them; a file
     * whose tree after is unknown (that snapshot was skipped) counts as changed, so it is never overwritten unasked.
     */
    private static Set<String> changedOutside(Map<String, Optional<String>> lastAfter, String now, Snapshots snapshots) {
        Set<String> outside = new TreeSet<>();
        Map<String, List<String>> byTree = new LinkedHashMap<>();
        lastAfter.forEach((file, after) -> {
            if (after.isEmpty()) outside.add(file);
            else byTree.computeIfAbsent(after.get(), _ -> new ArrayList<>()).add(file);
        });
        byTree.forEach((after, files) -> {
            if (!snapshots.has(after)) {
                outside.addAll(files);
                return;
            }
            Set<String> changed = new HashSet<>(snapshots.changed(after, now));
            for (String f : files) if (changed.contains(f)) outside.add(f);
        });
        return outside;
    }

    /** The ref that keeps the files' state after the session's last code rewind. */
    static String refName(Session session) {
        return "rewound/" + session.id().value();
    }

    /** Marks every user message from the target on not marked yet; the assistant messages answering them follow. */
    private List<MessageId> markRewound(Session session, List<MessageWithParts> later) {
        Set<MessageId> already = RewoundTurns.of(later);
        SessionJournal writer = journal.of(session);
        List<MessageId> rewound = new ArrayList<>();
        for (MessageWithParts m : later) {
            if (already.contains(m.info().id())) continue;
            if (m.info() instanceof UserMessage) writer.part(new Part.Text(PartId.next(), session.id(), m.info().id(), MessageRewound.TEXT, true));
            rewound.add(m.info().id());
        }
        return rewound;
    }
}
