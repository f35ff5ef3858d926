package dev.lathe.core.context;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.RewoundTurns;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What of a session's stored history the model is sent, after compaction (DESIGN §12): everything when the session
 * was never compacted; otherwise the latest compaction's own pair (a user message carrying the task and instructions,
 * the assistant's summary), then the messages it kept verbatim, then everything after it. Tool calls any compaction
 * pruned are listed so their outputs go as placeholders. A compaction whose summary never completed (a crash, an
 * abort, a provider error) does not count: the model is then sent what it was sent before it. {@code tailStart}: the
 * index in the stored history from which every message is sent as it is (after the latest summary; 0 without one).
 * Turns a rewind took back ({@link RewoundTurns}) are not sent at all, as if they had never been.
 */
public record ContextView(List<MessageWithParts> messages, Set<String> pruned, int tailStart) {

    public static ContextView of(List<MessageWithParts> history) {
        Set<MessageId> rewound = RewoundTurns.of(history);
        if (rewound.isEmpty()) return ofRead(history);
        List<MessageWithParts> read = history.stream().filter(m -> !rewound.contains(m.info().id())).toList();
        ContextView view = ofRead(read);
        // tailStart indexes the stored history its callers hold, rewound turns included
        int tail = view.tailStart() < read.size() ? indexOf(history, read.get(view.tailStart()).info().id()) : history.size();
        return new ContextView(view.messages(), view.pruned(), tail);
    }

    private static ContextView ofRead(List<MessageWithParts> history) {
        Set<String> pruned = new HashSet<>();
        Set<MessageId> unfinished = new HashSet<>();
        int compaction = -1;
        Optional<MessageId> keepFrom = Optional.empty();
        MessageId summary = null;
        for (int i = 0; i < history.size(); i++) {
            for (Part p : history.get(i).parts()) {
                if (!(p instanceof Part.Compaction c)) continue;
                pruned.addAll(c.pruned());
                if (c.summaryMessageId().isEmpty()) continue;
                if (completed(history, c.summaryMessageId().get())) {
                    compaction = i;
                    summary = c.summaryMessageId().get();
                    keepFrom = c.keepFrom();
                } else {
                    unfinished.add(history.get(i).info().id());
                }
            }
        }
        // the carried-over text of a summary that never came is not sent: it would repeat what the history says
        if (!unfinished.isEmpty()) {
            List<MessageWithParts> kept = history.stream().filter(m -> !unfinished.contains(m.info().id())).toList();
            if (kept.size() < history.size()) return of(kept);
        }
        if (compaction < 0) return new ContextView(answeredInPlace(history), Set.copyOf(pruned), 0);
        List<MessageWithParts> out = new ArrayList<>();
        out.add(history.get(compaction));
        int summaryAt = indexOf(history, summary);
        out.add(history.get(summaryAt));
        if (keepFrom.isPresent()) {
            int from = indexOf(history, keepFrom.get());
            if (from >= 0) out.addAll(history.subList(from, compaction));
        }
        for (int i = compaction + 1; i < history.size(); i++) if (i != summaryAt) out.add(history.get(i));
        // a prompt kept verbatim before the summary pair and answered after it is in place already: ordered after the pair
        return new ContextView(List.copyOf(answeredInPlace(out)), Set.copyOf(pruned), summaryAt + 1);
    }

    /**
     * The history with each prompt right before its first answer when another answer came between them: a prompt queued
     * behind a running turn ({@code "delivery": "queue"}, docs/steering.md) keeps its id and place in the transcript, but
     * the model reads it after what that turn wrote, as the last thing the user said. The stored list itself when no
     * prompt waited so (nearly always).
     */
    static List<MessageWithParts> answeredInPlace(List<MessageWithParts> history) {
        int n = history.size();
        java.util.Map<MessageId, Integer> firstAnswer = new java.util.HashMap<>();
        int[] answersBefore = new int[n + 1];
        for (int i = 0; i < n; i++) {
            boolean answer = history.get(i).info() instanceof AssistantMessage;
            if (history.get(i).info() instanceof AssistantMessage a) firstAnswer.putIfAbsent(a.parentId(), i);
            answersBefore[i + 1] = answersBefore[i] + (answer ? 1 : 0);
        }
        java.util.Map<Integer, List<MessageWithParts>> moved = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            if (!(history.get(i).info() instanceof UserMessage u)) continue;
            Integer at = firstAnswer.get(u.id());
            if (at != null && at > i && answersBefore[at] - answersBefore[i + 1] > 0) moved.computeIfAbsent(at, _ -> new ArrayList<>()).add(history.get(i));
        }
        if (moved.isEmpty()) return history;
        var placed = new java.util.HashSet<MessageId>();
        moved.values().forEach(l -> l.forEach(m -> placed.add(m.info().id())));
        List<MessageWithParts> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.addAll(moved.getOrDefault(i, List.of()));
            if (!placed.contains(history.get(i).info().id())) out.add(history.get(i));
        }
        return out;
    }

    private static boolean completed(List<MessageWithParts> history, MessageId id) {
        for (MessageWithParts m : history) {
            if (m.info().id().equals(id)) return m.info() instanceof AssistantMessage a && a.completedAt().isPresent() && a.error().isEmpty();
        }
        return false;
    }

    static int indexOf(List<MessageWithParts> history, MessageId id) {
        for (int i = 0; i < history.size(); i++) if (history.get(i).info().id().equals(id)) return i;
        return -1;
    }
}
