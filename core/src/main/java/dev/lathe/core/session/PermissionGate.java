package dev.lathe.core.session;

import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.Decision;
import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.permission.PermissionDecider;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.Permissions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link Permissions} port for one tool call: evaluates the project's rules plus the project's "always"
 * approvals (persisted, so they outlive the session and the server) over every pattern (the strictest answer wins), and turns {@code ask} into a published
 * {@code permission.asked} that blocks until a client replies or the turn is cancelled. A subagent's session is held
 * to several rule sets at once (its own and its parent's): each is evaluated and the strictest answer wins, so what
 * is denied or asked for the parent stays so for the child. In a turn whose prompt asked for {@code allowAll}, an ask is
 * announced and answered allow-once at once, by the server, as the client would have answered it.
 */
final class PermissionGate implements Permissions {
    private final Session session;
    private final MessageId message;
    private final String callId;
    private final Supplier<List<Ruleset>> rules;
    private final Approvals approvals;
    private final PermissionBroker broker;
    private final Journal journal;
    private final Cancellation cancellation;
    private final boolean allowAll;

    PermissionGate(Session session, MessageId message, String callId, Supplier<Ruleset> rules, Approvals approvals,
            PermissionBroker broker, Journal journal, Cancellation cancellation) {
        this(session, message, callId, approvals, () -> List.of(rules.get()), broker, journal, cancellation, false);
    }

    /**
     * Held to every rule set {@code rules} gives at once: the strictest answer over all of them decides; with
     * {@code allowAll}, what they leave to ask is allowed once.
     */
    PermissionGate(Session session, MessageId message, String callId, Approvals approvals, Supplier<List<Ruleset>> rules,
            PermissionBroker broker, Journal journal, Cancellation cancellation, boolean allowAll) {
        this.session = session;
        this.message = message;
        this.callId = callId;
        this.rules = rules;
        this.approvals = approvals;
        this.broker = broker;
        this.journal = journal;
        this.cancellation = cancellation;
        this.allowAll = allowAll;
    }

    @Override
    public void require(PermissionCheck check) {
        List<Rule> approved = approvals.rules();
        List<Ruleset> effective = rules.get().stream().map(r -> r.plus(approved)).toList();
        if (check.permission().equals("bash")) {
            requireBash(check, effective);
            return;
        }
        Action decision = Action.ALLOW;
        for (Ruleset ruleset : effective) {
            for (String pattern : check.patterns()) {
                Action a = ruleset.evaluate(check.permission(), pattern);
                if (a.ordinal() > decision.ordinal()) decision = a;
            }
        }
        switch (decision) {
            case ALLOW -> { }
            case DENY -> throw new PermissionRejected("A permission rule denies " + check.permission() + " for "
                    + String.join(", ", check.patterns()) + ". Do not retry this; ask the user how to proceed.");
            case ASK -> ask(check);
        }
    }

    /**
     * A bash line is decided by what it would really run (DESIGN §10): every sub-command against the bash rules, its
     * file operands and redirections against read/edit/external_directory, the strictest answer over all of them. An
     * ask offers "always" rules for the line's sub-commands, never for the whole line.
     */
    private void requireBash(PermissionCheck check, List<Ruleset> effective) {
        Path root = Path.of(session.directory());
        Path workdir = Optional.ofNullable(check.metadata().get("workdir")).map(root::resolve).orElse(root);
        var decider = new PermissionDecider(effective.getFirst(), root);
        Decision strictest = null;
        for (Ruleset ruleset : effective) {
            var each = new PermissionDecider(ruleset, root);
            for (String command : check.patterns()) {
                Decision d = each.bash(command, workdir);
                if (strictest == null || d.action().ordinal() > strictest.action().ordinal()) strictest = d;
            }
        }
        if (strictest == null || strictest.action() == Action.ALLOW) return;
        if (strictest.action() == Action.DENY) {
            throw new PermissionRejected("A permission rule (" + strictest.rule() + ") denies this command: " + strictest.reason()
                    + ". Do not retry it; ask the user how to proceed.");
        }
        List<String> always = check.patterns().stream().flatMap(c -> decider.alwaysRules(c).stream()).distinct().toList();
        Map<String, String> metadata = new java.util.LinkedHashMap<>(check.metadata());
        metadata.put("reason", strictest.reason());
        metadata.put("rule", strictest.rule());
        ask(new PermissionCheck(check.permission(), check.patterns(), always, check.title(), metadata, check.display()));
    }

    private void ask(PermissionCheck check) {
        if (cancellation.isCancelled()) throw new PermissionRejected("The turn was aborted.");
        var request = new PermissionRequest(PermissionId.next(), session.id(), message, callId, check.permission(),
                check.patterns(), check.always(), check.title(), check.metadata(), System.currentTimeMillis(), check.display());
        if (allowAll) {
            // the prompt's sender answered every ask in advance: announced as asked and answered, never waited for
            journal.publish(session.directory(), new Event.PermissionAsked(request));
            journal.publish(session.directory(), new Event.PermissionReplied(session.id(), request.id(), PermissionReply.ONCE));
            return;
        }
        broker.open(request, session.directory());
        journal.publish(session.directory(), new Event.PermissionAsked(request));
        journal.status(session.directory(), session, SessionStatus.WAITING);
        PermissionReplyRequest reply;
        try (AutoCloseable _ = cancellation.onCancel(() -> broker.cancel(request.id()))) {
            reply = broker.await(request.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PermissionRejected("The turn was aborted.");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        // persist, then announce: a client told "always" must find the approval after a crash
        if (reply.reply() == PermissionReply.ALWAYS) {
            approvals.add(check.always().stream().map(p -> new Rule(check.permission(), p, Action.ALLOW)).toList());
        }
        journal.publish(session.directory(), new Event.PermissionReplied(session.id(), request.id(), reply.reply()));
        journal.status(session.directory(), session, SessionStatus.BUSY);
        switch (reply.reply()) {
            case ONCE, ALWAYS -> { }
            case REJECT -> throw new PermissionRejected(reply.message()
                    .map(m -> "The user rejected this call and said: " + m)
                    .orElse("The user rejected permission to run this tool call. Stop and wait for the user's instructions."));
        }
    }

    /** Where "always" answers go and come from: the project's approvals. */
    interface Approvals {
        List<Rule> rules();

        void add(List<Rule> more);
    }
}
