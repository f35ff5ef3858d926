package dev.lathe.core.session.turn;

import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.permission.PermissionPolicy;
import dev.lathe.core.permission.Unwatched;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import java.util.Optional;

/**
 * Whether anyone can answer an ask of {@code session} raised now (DESIGN §26), asked at each ask: nobody can in a turn
 * whose prompt said so ({@code --deny-asks}, a goal loop's or a schedule's run, and the subagents they start), a team
 * member's, a running background child's when no client follows it or its parent, nor in any session when
 * {@code "permission": {"unattended": "deny"}}. Then {@code permission.unattended} decides ({@code --deny-asks}: deny
 * whatever it says); otherwise a client answers, as ever.
 */
record UnattendedAsks(TurnServices services, Session session, LiveProject live) implements PermissionGate.Unattended {
    /** How many parents up a background ancestor makes a session's work unwatched (subagents nest a few deep at most). */
    private static final int MAX_DEPTH = 8;

    @Override
    public Optional<PermissionPolicy.Unattended> now() {
        PermissionPolicy policy = live.now().config().permissionPolicy();
        Optional<Unwatched> marked = services.broker().unwatchedIn(session.id());
        if (marked.filter(m -> m == Unwatched.DENY_ASKS).isPresent() || policy.deniesEveryAsk()) return Optional.of(PermissionPolicy.Unattended.DENY);
        boolean nobody = marked.isPresent() || services.teams().isMember(session.id()) || unfollowedBackground();
        return nobody ? Optional.of(policy.whenUnattended()) : Optional.empty();
    }

    /**
     * Whether this session runs in the background (it, or a parent up the chain, is a running background child) and no
     * client follows it or its parent: a client that follows either would show the ask and can answer it.
     */
    private boolean unfollowedBackground() {
        Optional<Session> at = Optional.of(session);
        boolean background = false;
        for (int depth = 0; depth < MAX_DEPTH && at.isPresent() && !background; depth++) {
            background = services.subtasks().inBackground(at.get().id()) || services.teams().isMember(at.get().id());
            at = at.get().parentId().flatMap(this::find);
        }
        if (!background) return false;
        if (services.journal().followed(session)) return false;
        return session.parentId().flatMap(this::find).filter(services.journal()::followed).isEmpty();
    }

    private Optional<Session> find(SessionId id) { return services.journal().find(id); }
}
