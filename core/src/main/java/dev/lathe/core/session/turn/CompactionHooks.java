package dev.lathe.core.session.turn;

import dev.lathe.core.hooks.HookInput;
import dev.lathe.core.hooks.HookOutcome;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.context.Secrets;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import java.util.Optional;

/**
 * The hooks around a summary ({@link Compactor}): {@code PreCompact} before it (exit 2 or {@code decision: block}
 * refuses it; an automatic compaction then goes on as if nothing could be summarised; a {@code continue: false} here
 * also ends the running turn after its step), {@code PostCompact} with the
 * summary's text after it, and {@code SessionStart} with source {@code compact}, whose context joins the summary's
 * carried-over message (the first thing the model reads after it). Pruning old tool outputs alone is no compaction here.
 */
final class CompactionHooks {
    private final SessionHooks hooks;
    private final Journal journal;
    private final Session session;
    private final SessionHooks.Scope scope;

    CompactionHooks(TurnServices services, Project project, Session session, ResolvedModel model) {
        this.hooks = services.hooks();
        this.journal = services.journal();
        this.session = session;
        this.scope = TurnHooks.scope(session, project, Secrets.of(project, Optional.of(model)), false);
    }

    /** {@code PreCompact}; the reason when a hook refused the compaction. */
    Optional<String> before(String trigger) {
        HookOutcome outcome = hooks.fire(scope, new HookInput.PreCompact(trigger, Optional.empty()));
        return switch (outcome.verdict()) {
            case HookOutcome.Verdict.Block b -> Optional.of(b.reason());
            case HookOutcome.Verdict.Stop s -> {
                hooks.stops().request(session.id().value(), s.reason());
                yield Optional.of(s.reason().isBlank() ? "stopped by a PreCompact hook" : s.reason());
            }
            case HookOutcome.Verdict.None _, HookOutcome.Verdict.Allow _, HookOutcome.Verdict.Ask _, HookOutcome.Verdict.Defer _ -> Optional.empty();
        };
    }

    /** {@code PostCompact} and {@code SessionStart} ({@code compact}) once summary {@code summary} (answering {@code carried}) is written. */
    void after(String trigger, MessageId carried, MessageId summary) {
        String text = journal.history(session.id()).stream().filter(m -> m.info().id().equals(summary)).flatMap(m -> m.parts().stream())
                .filter(Part.Text.class::isInstance).map(p -> ((Part.Text) p).text()).reduce((a, b) -> a + "\n" + b).orElse("");
        if (hooks.fire(scope, new HookInput.PostCompact(trigger, text)).verdict() instanceof HookOutcome.Verdict.Stop s) {
            hooks.stops().request(session.id().value(), s.reason());
        }
        if (session.parentId().isPresent()) return;
        String context = hooks.fire(scope, new HookInput.SessionStart("compact", Optional.empty())).joinedContext();
        if (context.isBlank()) return;
        journal.of(session).part(new Part.Text(PartId.next(), session.id(), carried, "SessionStart hook additional context:\n" + context, true));
    }
}
