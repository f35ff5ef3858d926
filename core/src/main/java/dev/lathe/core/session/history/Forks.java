package dev.lathe.core.session.history;

import dev.lathe.core.imports.NewSessions;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.TranscriptStore;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.ForkRequest;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Forks a session: a new top-level session in the same folder (a fork is not a child: {@code parentId} stays empty)
 * holding copies of the messages the user sees before a given message, under new ids, in the same order, each part
 * still under its message and each answer still pointing at its user message. The source is never changed.
 */
public final class Forks {
    private static final Pattern FORKED = Pattern.compile("^(.*) \\(fork #(\\d+)\\)$");

    private final MessageStore messages;
    private final NewSessions created;

    public Forks(MessageStore messages, NewSessions created) {
        this.messages = messages;
        this.created = created;
    }

    public Session fork(Session source, ForkRequest request) {
        List<MessageWithParts> history = messages.bySession(source.id());
        Optional<MessageId> until = request.messageId();
        if (until.isPresent() && history.stream().noneMatch(m -> m.info().id().equals(until.get()))) {
            throw new LatheException.NotFound("no message " + until.get() + " in session " + source.id());
        }
        List<MessageWithParts> copied = Reverts.visible(source, history).stream()
                .filter(m -> until.isEmpty() || m.info().id().compareTo(until.get()) < 0)
                .toList();
        // a message still being written would be copied half done; one that is complete never changes again (its parts
        // were all written before it was closed, and they were read after it)
        for (MessageWithParts m : copied) {
            if (isOpen(m)) {
                throw new LatheException.Conflict("session " + source.id() + " is still writing message " + m.info().id()
                        + "; fork at an earlier message or wait until the session is idle");
            }
        }
        SessionId id = SessionId.next();
        long now = System.currentTimeMillis();
        Map<MessageId, MessageId> ids = new HashMap<>();
        for (MessageWithParts m : copied) ids.put(m.info().id(), MessageId.next());
        // each copy names the first original (a copy in the source names its own), so stats count every answer once
        Map<MessageId, MessageId> sourceOriginals = messages.originals(source.id());
        Map<MessageId, MessageId> originals = new HashMap<>();
        for (MessageWithParts m : copied) originals.put(ids.get(m.info().id()), sourceOriginals.getOrDefault(m.info().id(), m.info().id()));
        List<MessageWithParts> copies = new ArrayList<>(copied.size());
        Usage usage = Usage.ZERO;
        long cost = 0;
        for (MessageWithParts m : copied) {
            Message info = copy(m.info(), id, ids);
            List<Part> parts = m.parts().stream().map(p -> copy(p, id, ids.get(p.messageId()), ids)).toList();
            copies.add(new MessageWithParts(info, parts));
            if (info instanceof AssistantMessage a) {
                usage = usage.plus(a.usage());
                cost += a.cost();
            }
        }
        // the copies carry what their turns cost, so the fork's totals match its messages (as OpenCode sums them)
        var fork = new Session(id, source.projectId(), source.directory(), Optional.empty(), title(source.title()), source.agent(), source.model(),
                now, now, Optional.empty(), usage, cost, Optional.empty(), source.worktree(), source.importedFrom());
        switch (created.insert(fork, new NewSessions.Contents.Copies(copies, originals))) {
            case TranscriptStore.Outcome.Stored _ -> { }
            case TranscriptStore.Outcome.Taken t -> throw new IllegalStateException("a fresh id is taken: " + t.what());
        }
        return fork;
    }

    /** {@code "Fix it"} → {@code "Fix it (fork #1)"}; {@code "Fix it (fork #1)"} → {@code "Fix it (fork #2)"}. */
    static String title(String title) {
        Matcher m = FORKED.matcher(title);
        if (m.matches()) {
            try {
                return m.group(1) + " (fork #" + (Long.parseLong(m.group(2)) + 1) + ")";
            } catch (NumberFormatException e) {
                // a number too long to count on: start a new suffix
            }
        }
        return title + " (fork #1)";
    }

    private static boolean isOpen(MessageWithParts m) {
        if (m.info() instanceof AssistantMessage a && a.completedAt().isEmpty()) return true;
        return m.parts().stream().anyMatch(p -> p instanceof Part.Tool t && (t.state() instanceof ToolState.Pending || t.state() instanceof ToolState.Running));
    }

    private static Message copy(Message message, SessionId session, Map<MessageId, MessageId> ids) {
        MessageId id = ids.get(message.id());
        return switch (message) {
            case UserMessage u -> new UserMessage(id, session, u.createdAt(), u.agent(), u.model());
            case AssistantMessage a -> new AssistantMessage(id, session, ids.getOrDefault(a.parentId(), a.parentId()), a.agent(), a.model(),
                    a.createdAt(), a.completedAt(), a.finish(), a.error(), a.usage(), a.cost());
        };
    }

    private static Part copy(Part part, SessionId s, MessageId m, Map<MessageId, MessageId> ids) {
        PartId id = PartId.next();
        return switch (part) {
            case Part.Text p -> new Part.Text(id, s, m, p.text(), p.synthetic());
            case Part.Reasoning p -> new Part.Reasoning(id, s, m, p.text(), p.providerMetadata());
            case Part.Tool p -> new Part.Tool(id, s, m, p.callId(), p.tool(), p.state(), p.providerMetadata());
            case Part.File p -> new Part.File(id, s, m, p.mime(), p.name(), p.url());
            case Part.StepStart p -> new Part.StepStart(id, s, m, p.snapshot(), p.promptHashes());
            case Part.StepFinish p -> new Part.StepFinish(id, s, m, p.reason(), p.usage(), p.cost(), p.snapshot(), p.quota());
            case Part.Patch p -> new Part.Patch(id, s, m, p.snapshot(), p.files());
            case Part.Compaction p -> new Part.Compaction(id, s, m, p.auto(), p.summaryMessageId().map(x -> ids.getOrDefault(x, x)), p.pruned(),
                    p.keepFrom().map(x -> ids.getOrDefault(x, x)));
            // the subagent's session stays the source's child; the copy still names it
            case Part.Subtask p -> new Part.Subtask(id, s, m, p.childSessionId(), p.agent(), p.prompt());
            case Part.Retry p -> new Part.Retry(id, s, m, p.attempt(), p.error(), p.nextAt());
            case Part.ModelSwitch p -> new Part.ModelSwitch(id, s, m, p.from(), p.to(), p.reason());
            case Part.Hook p -> new Part.Hook(id, s, m, p.event(), p.handler(), p.source(), p.matcher(), p.callId(), p.exitCode(), p.durationMillis(),
                    p.decision(), p.message());
        };
    }
}
