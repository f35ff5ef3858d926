package dev.lathe.core.store;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import java.util.List;

/**
 * Usage and cost read from an import ({@code lathe import}, another harness's history), as they are stored: never
 * negative. A negative count or cost in a session file would be summed with what this server spent and pull a spend
 * limit back under its cap (DESIGN §24); clamped at zero here, in the one place every imported transcript is stored
 * through ({@link TranscriptStore#insertNew}, {@link TranscriptStore#merge}).
 */
public final class ImportedSpend {
    private ImportedSpend() {}

    /** {@code session} with its totals clamped at zero. */
    public static Session of(Session session) {
        return new Session(session.id(), session.projectId(), session.directory(), session.parentId(), session.title(), session.agent(),
                session.model(), session.createdAt(), session.updatedAt(), session.revert(), of(session.usage()), Math.max(0, session.cost()),
                session.archivedAt(), session.worktree(), session.importedFrom());
    }

    /** {@code message} with its answer's and its steps' usage and cost clamped at zero. */
    public static MessageWithParts of(MessageWithParts message) {
        var info = message.info() instanceof AssistantMessage a
                ? new AssistantMessage(a.id(), a.sessionId(), a.parentId(), a.agent(), a.model(), a.createdAt(), a.completedAt(), a.finish(), a.error(),
                        of(a.usage()), Math.max(0, a.cost()))
                : message.info();
        List<Part> parts = message.parts().stream().map(p -> p instanceof Part.StepFinish f
                ? (Part) new Part.StepFinish(f.id(), f.sessionId(), f.messageId(), f.reason(), of(f.usage()), Math.max(0, f.cost()), f.snapshot())
                : p).toList();
        return new MessageWithParts(info, parts);
    }

    /** Every count at least zero. */
    public static Usage of(Usage u) {
        return new Usage(Math.max(0, u.input()), Math.max(0, u.output()), Math.max(0, u.reasoning()), Math.max(0, u.cacheRead()),
                Math.max(0, u.cacheWrite()));
    }
}
