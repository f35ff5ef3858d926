package dev.lathe.core.budget;

import dev.lathe.core.ask.AskHooks;
import dev.lathe.core.ask.AskNotices;
import dev.lathe.core.ask.LeftUnanswered;
import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.permission.DecisionLog;
import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.permission.PermissionPolicy;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.ApprovalScope;
import dev.lathe.protocol.event.AskingChild;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ask a reached spend limit makes (decision 119): a {@code permission.asked} with the permission
 * {@value BudgetAsks#PERMISSION} through the same broker as a tool's, so the terminal UI's card, the web inbox, ACP and
 * any HTTP client answer it as they answer any ask, from any client attached to the server; the session shows
 * {@code waiting} meanwhile, and {@code Notification} hooks hear of it. Allow once raises the limit by its configured size for this session, always lifts it for
 * this session, reject stops. Unlike a tool's ask, no rule, hook or prompt's {@code allowAll} ({@code lathe run
 * --allow-all}) answers it: the limit is a hard cap, a person raises it. Called on the turn's thread, which it blocks.
 * A child's ask carries {@code child} ({@link AskingChild}), as its permission asks do: the user is told which child
 * reached the limit.
 */
public final class BudgetAsk {
    /** What the user answered. */
    public enum Answer {
        /** Allow once: the limit was raised by its size for this session. */
        RAISED,
        /** Always: the limit no longer applies to this session. */
        LIFTED,
        /** Reject: the turn stops. */
        STOPPED,
        /** The turn was aborted while it waited. */
        ABORTED,
        /**
         * Nobody could answer (DESIGN §26): a background child, a teammate or a run nobody watches, when it asked or
         * once its last client left, and {@code permission.unattended} is not {@code wait}. The turn stops at the limit,
         * as after a reject: nobody raises a limit for work nobody watches.
         */
        UNANSWERED,
        /**
         * Check again: another turn of the tree asked, and its ask ended unanswered (that turn was aborted), or was
         * answered before this one could ask.
         */
        AGAIN
    }

    private final Budgets budgets;
    private final PermissionBroker broker;
    private final AskNotices notices;
    private final DecisionLog audit;
    /** Only their {@code Notification} is fired: no hook answers a limit. */
    private final AskHooks hooks;
    /** Whether anyone can answer the ask: asked when it is raised and again whenever a client leaves ({@link LeftUnanswered}). */
    private final PermissionGate.Unattended unattended;

    public BudgetAsk(Budgets budgets, PermissionBroker broker, AskNotices notices, DecisionLog audit, AskHooks hooks, PermissionGate.Unattended unattended) {
        this.unattended = unattended;
        this.budgets = budgets;
        this.broker = broker;
        this.notices = notices;
        this.audit = audit;
        this.hooks = hooks;
    }

    /**
     * Asks what to do about {@code reached} in {@code session}, whose turn writes {@code message}; records a raise. One
     * ask per subagent tree at a time: parallel subagents that reach the tree's limit together wait for the first one's
     * ask and take its answer ({@link Budgets#asking}), rather than each opening a card of its own. {@code stillReached}
     * checks the limit again, as {@code reached} was found: a turn that found it reached before another turn's ask was
     * answered, and comes here after that ask ended, finds it raised then and opens no second card ({@link Answer#AGAIN}).
     */
    public Answer ask(Session session, MessageId message, Budgets.Reached reached,
            java.util.function.Supplier<Optional<Budgets.Reached>> stillReached, Cancellation cancellation) {
        if (cancellation.isCancelled()) return Answer.ABORTED;
        var mine = new java.util.concurrent.CompletableFuture<Answer>();
        java.util.concurrent.CompletableFuture<Answer> open = budgets.asking(session, mine);
        if (open != mine) return follow(session, open, cancellation);
        Answer answer = Answer.ABORTED;
        try {
            // an ask that was answered before this one got its turn is seen only now: the raise is recorded before it ends
            if (stillReached.get().isEmpty()) {
                answer = Answer.AGAIN;
                return answer;
            }
            answer = askUser(session, message, reached, cancellation);
            return answer;
        } finally {
            budgets.asked(session, mine);
            mine.complete(answer);
        }
    }

    /** Waits, {@code waiting}, for the answer to the ask another turn of the tree opened. */
    private Answer follow(Session session, java.util.concurrent.CompletableFuture<Answer> open, Cancellation cancellation) {
        budgets.following(session.id(), true);
        notices.status(SessionStatus.WAITING);
        var answer = new java.util.concurrent.CompletableFuture<Answer>();
        open.whenComplete((a, e) -> answer.complete(e == null ? a : Answer.AGAIN));
        Answer got;
        try (AutoCloseable _ = cancellation.onCancel(() -> answer.complete(Answer.ABORTED))) {
            got = answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.ABORTED;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            budgets.following(session.id(), false);
        }
        if (cancellation.isCancelled()) return Answer.ABORTED;
        notices.status(SessionStatus.BUSY);
        // the raise or lift is the tree's, recorded already; an ask whose turn was aborted answered nothing
        return got == Answer.ABORTED ? Answer.AGAIN : got;
    }

    private Answer askUser(Session session, MessageId message, Budgets.Reached reached, Cancellation cancellation) {
        SpendLimit limit = reached.limit();
        String more = limit.unit().format(reached.configured()) + " more for this session";
        String title = "Spend limit reached: " + reached.summary() + " (" + limit.configKey() + "). Allow once to let this session spend "
                + limit.unit().format(reached.configured()) + " more, always to lift this limit for the session, reject to stop.";
        var request = new PermissionRequest(PermissionId.next(), session.id(), message, "", BudgetAsks.PERMISSION, List.of(limit.configKey()),
                List.of(), title, Map.of(BudgetAsks.LIMIT, limit.configKey(), BudgetAsks.SPENT, reached.summary(), BudgetAsks.RAISE, more),
                System.currentTimeMillis(), Optional.empty(), ApprovalScope.PROJECT, AskingChild.of(session));
        // nobody can answer (a background child nobody follows, say): permission.unattended decides, as for a tool's ask
        if (unattended.now().filter(u -> u != PermissionPolicy.Unattended.WAIT).isPresent()) {
            audited(session, request, PermissionReply.REJECT, "unattended");
            return Answer.UNANSWERED;
        }
        // a session paused at a limit is worth a notification as much as a permission ask is (PermissionGate)
        hooks.waiting("Lathe paused at a spend limit: " + reached.summary() + " (" + limit.configKey() + "). Raise it or stop.");
        var left = new LeftUnanswered<PermissionReplyRequest>(unattended, hooks, "Lathe is still paused at a spend limit: " + reached.summary()
                + ", and no client watches the session any more");
        var nobody = new PermissionReplyRequest(PermissionReply.REJECT, Optional.of("unattended"));
        broker.open(request, session.directory(), () -> left.judge(nobody));
        notices.publish(new Event.PermissionAsked(request));
        notices.status(SessionStatus.WAITING);
        PermissionReplyRequest reply;
        try (AutoCloseable _ = cancellation.onCancel(() -> broker.cancel(request.id()))) {
            reply = broker.await(request.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.ABORTED;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        notices.publish(new Event.PermissionReplied(session.id(), request.id(), reply.reply()));
        audited(session, request, reply.reply(), reply == nobody ? "unattended" : "client");
        if (cancellation.isCancelled()) return Answer.ABORTED;
        notices.status(SessionStatus.BUSY);
        if (reply == nobody) return Answer.UNANSWERED;
        return switch (reply.reply()) {
            case ONCE -> {
                budgets.raise(session, reached);
                yield Answer.RAISED;
            }
            case ALWAYS -> {
                budgets.lift(session, reached);
                yield Answer.LIFTED;
            }
            case REJECT -> Answer.STOPPED;
        };
    }

    private void audited(Session session, PermissionRequest request, PermissionReply reply, String by) {
        audit.answered(new DecisionLog.Answered(session.id().value(), session.directory(), "", BudgetAsks.PERMISSION, request.id().value(),
                reply.name().toLowerCase(java.util.Locale.ROOT), by));
    }
}
