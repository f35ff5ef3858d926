package dev.lathe.core.ask;

import dev.lathe.core.permission.PermissionPolicy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An ask waiting for a person, judged again when a client leaves (DESIGN §26: whether anyone can answer is decided
 * when it matters, not once when the ask is raised): a {@code lathe run} that exits leaves the asks of its background
 * children to nobody. The turn's own {@link PermissionGate.Unattended} judges, as it did when the ask was raised:
 * someone can still answer, and the ask waits; {@code deny} or {@code stop}, and {@link #judge} gives the answer that
 * ends the wait, the asker then refusing as if the ask had been raised now ({@link #policy} says which); {@code wait},
 * and the ask stays parked, the user's {@code Notification} hooks told once that nobody watches it. The one place
 * every ask that waits for a person goes through: a tool's permission ({@link PermissionGate}), a spend limit's
 * ({@code BudgetAsk}) and a question ({@link QuestionGate}, and through it an MCP server's elicitation).
 *
 * @param <A> the asker's answer type
 */
public final class LeftUnanswered<A> {
    private final PermissionGate.Unattended unattended;
    private final AskHooks hooks;
    private final String parked;
    private final AtomicBoolean told = new AtomicBoolean();
    private volatile PermissionPolicy.Unattended policy = PermissionPolicy.Unattended.DENY;

    /** @param parked what the {@code Notification} hooks are told when the ask stays parked with nobody to answer it */
    public LeftUnanswered(PermissionGate.Unattended unattended, AskHooks hooks, String parked) {
        this.unattended = unattended;
        this.hooks = hooks;
        this.parked = parked;
    }

    /** {@code nobody}, the answer that ends the wait, when nobody can answer the ask now and the policy refuses it; else empty. */
    public Optional<A> judge(A nobody) {
        Optional<PermissionPolicy.Unattended> now = unattended.now();
        if (now.isEmpty()) return Optional.empty();
        if (now.get() == PermissionPolicy.Unattended.WAIT) {
            if (told.compareAndSet(false, true)) hooks.waiting(parked);
            return Optional.empty();
        }
        policy = now.get();
        return Optional.of(nobody);
    }

    /** What {@code permission.unattended} said when {@link #judge} last ended the wait: {@code deny} or {@code stop}. */
    public PermissionPolicy.Unattended policy() { return policy; }
}
