package dev.lathe.core.ask;

import dev.lathe.core.permission.Rule;
import dev.lathe.core.store.ApprovalStore;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.RememberedApproval;
import dev.lathe.protocol.event.ApprovalScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every "always" answer the server knows: project-wide ones in the database ({@link ApprovalStore}, kept across
 * restarts) and session-wide ones in memory (they end with the session's server, as the user was told: "in this
 * session"). Gates read them fresh for every check, so a revoke applies from the next tool call, also in a turn that
 * is running. An answer's id is derived from what it is (scope, session, permission, pattern), so it is stable
 * without a column of its own.
 */
public final class RememberedAnswers {
    private final ApprovalStore store;
    private final Map<SessionId, Session> sessions = new ConcurrentHashMap<>();

    /** The session-wide answers of one session. */
    private record Session(ProjectId project, List<Entry> entries) {}

    private record Entry(Rule rule, long createdAt) {}

    public RememberedAnswers(ApprovalStore store) { this.store = store; }

    /** What a gate of {@code session} (in {@code project}) reads and writes: the project's answers and that session's. */
    public PermissionGate.Approvals of(ProjectId project, SessionId session) {
        return new PermissionGate.Approvals() {
            @Override
            public List<Rule> rules() {
                List<Rule> out = new ArrayList<>(store.rules(project));
                Session own = sessions.get(session);
                if (own != null) own.entries().forEach(e -> out.add(e.rule()));
                return out;
            }

            @Override
            public void add(List<Rule> more, ApprovalScope scope) {
                switch (scope) {
                    case PROJECT -> store.add(project, more);
                    case SESSION -> {
                        Session own = sessions.computeIfAbsent(session, _ -> new Session(project, new CopyOnWriteArrayList<>()));
                        long now = System.currentTimeMillis();
                        for (Rule r : more) {
                            if (own.entries().stream().noneMatch(e -> e.rule().equals(r))) own.entries().add(new Entry(r, now));
                        }
                    }
                }
            }
        };
    }

    /** The project's answers, oldest first, then its sessions' answers. */
    public List<RememberedApproval> list(ProjectId project) {
        var out = new ArrayList<RememberedApproval>();
        for (ApprovalStore.Stored s : store.stored(project)) {
            out.add(new RememberedApproval(id(ApprovalScope.PROJECT, Optional.empty(), s.rule()), s.rule().permission(), s.rule().pattern(),
                    ApprovalScope.PROJECT, Optional.empty(), s.createdAt()));
        }
        sessions.forEach((sid, own) -> {
            if (!own.project().equals(project)) return;
            for (Entry e : own.entries()) {
                out.add(new RememberedApproval(id(ApprovalScope.SESSION, Optional.of(sid), e.rule()), e.rule().permission(), e.rule().pattern(),
                        ApprovalScope.SESSION, Optional.of(sid), e.createdAt()));
            }
        });
        return out;
    }

    /** Forgets the answer {@code id} of {@code project}; empty when it has no such answer (already revoked, or never). */
    public Optional<RememberedApproval> revoke(ProjectId project, String id) {
        Optional<RememberedApproval> found = list(project).stream().filter(a -> a.id().equals(id)).findFirst();
        found.ifPresent(a -> {
            switch (a.scope()) {
                case PROJECT -> store.remove(project, a.permission(), a.pattern());
                case SESSION -> {
                    Session own = sessions.get(a.sessionId().orElseThrow());
                    if (own != null) own.entries().removeIf(e -> e.rule().permission().equals(a.permission()) && e.rule().pattern().equals(a.pattern()));
                }
            }
        });
        return found;
    }

    private static String id(ApprovalScope scope, Optional<SessionId> session, Rule rule) {
        String key = scope.wire() + "\n" + session.map(SessionId::value).orElse("") + "\n" + rule.permission() + "\n" + rule.pattern();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return (scope == ApprovalScope.PROJECT ? "p" : "s") + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
