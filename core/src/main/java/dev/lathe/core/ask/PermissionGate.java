package dev.lathe.core.ask;

import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.Decision;
import dev.lathe.core.permission.DecisionLog;
import dev.lathe.core.permission.GateDecision;
import dev.lathe.core.permission.HardDeny;
import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.permission.PermissionDecider;
import dev.lathe.core.permission.PermissionPolicy;
import dev.lathe.core.permission.ProtectedPaths;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.RuleOrigin;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.ApprovalScope;
import dev.lathe.protocol.event.AskingChild;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolRejection;
import dev.lathe.tools.CallAsking;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Permissions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link Permissions} port for one tool call: decides with {@link GateDecision} (the project's rules plus the
 * project's "always" approvals, persisted so they outlive the session and the server; the strictest answer over every
 * pattern wins — the same function {@code lathe debug permission} calls), and turns {@code ask} into a published
 * {@code permission.asked} that blocks until a client replies or the turn is cancelled. A subagent's session is held
 * to several rule sets at once (its own and its parent's): each is evaluated and the strictest answer wins, so what
 * is denied or asked for the parent stays so for the child. In a turn whose prompt asked for {@code allowAll}, an ask is
 * announced and answered allow-once at once, by the server, as the client would have answered it.
 *
 * <p>A denial is information (DESIGN §26): a deny rule's refusal is an error the model reads, {@code Denied by RULE
 * (FILE)}, and the turn goes on unless {@code permission.onDeny} is {@code stop}. An ask nobody can answer
 * ({@link Unattended}) is refused likewise without being announced as an ask (the failed part says why, and the user's
 * notifications tell of it), or ends the turn, or waits for a client, as {@code permission.unattended} says.
 */
public final class PermissionGate implements Permissions {
    private static final String EDIT = "edit";
    /** The result of a call the user rejected without a message: the turn stops there. */
    public static final String PLAIN_REJECTION = "The user rejected permission to run this tool call. Stop and wait for the user's instructions.";
    /**
     * Starts the result of a call the user rejected with a message for the agent; the message follows, and the model
     * goes on with it in the same turn (as Claude Code does).
     */
    public static final String WITH_FEEDBACK = "The user rejected this tool call, so nothing was run or changed, and said how to proceed instead: ";
    private final Session session;
    private final MessageId message;
    private final String callId;
    private final Supplier<List<Ruleset>> rules;
    private final Approvals approvals;
    private final PermissionBroker broker;
    private final AskNotices journal;
    private final Cancellation cancellation;
    private final Asks asks;
    private final DecisionLog audit;
    private final AskHooks hooks;
    private final ProtectedPaths protectedPaths;
    /** What the turn's gates share: its {@code permission.onDeny} policy is read from it at each denial. */
    private final ForTurn turn;
    private final Unattended unattended;

    /** Who answers what the rules leave to ask. */
    public enum Asks {
        /** A client, through {@code permission.asked}; the call waits for its reply. */
        CLIENT_ANSWERS,
        /** The prompt's sender answered every ask in advance ({@code allowAll}): announced and allowed once at once. */
        ALLOWED_IN_ADVANCE,
        /**
         * The person who would answer typed the command themselves (their {@code !cmd}, decision 555): typing it is their
         * answer to what the rules leave to ask, allowed once and audited as {@code typed}, not announced (nobody is to
         * answer it). A deny rule still refuses, as every rule the gate applies does: this is never allow-all.
         */
        TYPED_BY_THE_ANSWERER
    }

    /**
     * Where a turn's asks go and their answers stay: the {@code broker} that holds an ask until a client replies, the
     * {@code notices} that announce it, and where "always" answers go ({@code approvals}).
     */
    public record Answers(Approvals approvals, PermissionBroker broker, AskNotices notices) {}

    /**
     * What every gate of one turn shares, built once per turn: the session and its cancel token, where its asks go and
     * their answers stay ({@code answers}), the {@code audit} told every decision the rules make and every answer to an ask, and
     * {@code protectedPaths}, Lathe's secrets (refused whatever the rules say) and the paths whose writing asks;
     * {@code policy} what a denial does to the turn (the config as it is when the call is decided: an edit applies from
     * the next call, as the rules do), and {@code unattended} whether anyone can answer an ask raised now.
     */
    public record ForTurn(Session session, Cancellation cancellation, Answers answers, DecisionLog audit, ProtectedPaths protectedPaths,
            Supplier<PermissionPolicy> policy, Unattended unattended, AutoReview.ForTurn auto) {
        /** A turn without auto-approval. */
        public ForTurn(Session session, Cancellation cancellation, Answers answers, DecisionLog audit, ProtectedPaths protectedPaths,
                Supplier<PermissionPolicy> policy, Unattended unattended) {
            this(session, cancellation, answers, audit, protectedPaths, policy, unattended, AutoReview.ForTurn.OFF);
        }

        /** A turn whose denials go on and whose asks a client answers. */
        public ForTurn(Session session, Approvals approvals, PermissionBroker broker, AskNotices notices, Cancellation cancellation,
                DecisionLog audit, ProtectedPaths protectedPaths) {
            this(session, cancellation, new Answers(approvals, broker, notices), audit, protectedPaths, () -> PermissionPolicy.DEFAULT,
                    Unattended.ATTENDED);
        }

        /**
         * The gate of call {@code callId} of {@code message}: held to every rule set {@code rules} gives at once (the
         * strictest answer over all of them decides); what they leave to ask is answered as {@code asks} says;
         * {@code hooks} are consulted ({@code PermissionRequest} hooks answer an ask in place of the user,
         * {@code PermissionDenied} hooks hear of a refusal, {@code Notification} hooks of an ask the user must answer).
         */
        public PermissionGate gate(MessageId message, String callId, Supplier<List<Ruleset>> rules, Asks asks, AskHooks hooks) {
            return new PermissionGate(this, message, callId, rules, asks, hooks);
        }
    }

    private PermissionGate(ForTurn turn, MessageId message, String callId, Supplier<List<Ruleset>> rules, Asks asks, AskHooks hooks) {
        this.protectedPaths = turn.protectedPaths();
        this.hooks = hooks;
        this.audit = turn.audit();
        this.session = turn.session();
        this.message = message;
        this.callId = callId;
        this.rules = rules;
        this.approvals = turn.answers().approvals();
        this.broker = turn.answers().broker();
        this.journal = turn.answers().notices();
        this.cancellation = turn.cancellation();
        this.asks = asks;
        this.turn = turn;
        this.unattended = turn.unattended();
    }

    /**
     * Whether anyone can answer an ask raised now, asked when one is (a client may attach to a background child, or
     * leave, while it runs): empty when someone can (the ask waits for a client, as ever), else what
     * {@code permission.unattended} (or {@code lathe run --deny-asks}) says to do with it.
     */
    @FunctionalInterface
    public interface Unattended {
        Optional<PermissionPolicy.Unattended> now();

        /** A person can answer every ask. */
        Unattended ATTENDED = Optional::empty;
    }

    /**
     * What an ask that {@link Unattended} says nobody can answer starts with, for the model: then what the call
     * wanted and how to go on.
     */
    public static final String UNATTENDED_DENIAL = "Denied: no one can answer this permission ask in an unattended run (permission.unattended)";

    /** What ends every denial the model reads: how to go on without the call (a user shown the denial is spared it). */
    public static final String GO_ON = "Nothing was run. Do not retry it or work around it: go on with what you can do without it,"
            + " and say what was denied if the task needs it.";

    /** A deny rule of the rules {@link #require} applies (the "always" answers included), decided without asking or auditing. */
    @Override
    public boolean denies(PermissionCheck check) {
        return ruling(check).decision().action() == Action.DENY;
    }

    /** The rules in force (with the remembered "always" answers), where they apply, and what they decide for a check. */
    private record Ruling(List<Ruleset> effective, Path root, GateDecision.Subject subject, Decision decision) {}

    /** What the rules decide for {@code check}, before any hook or ask. */
    private Ruling ruling(PermissionCheck check) {
        List<Rule> approved = approvals.rules();
        List<Ruleset> effective = rules.get().stream().map(r -> r.plus(approved)).toList();
        Path root = Path.of(session.directory());
        Path workdir = Optional.ofNullable(check.metadata().get("workdir")).map(root::resolve).orElse(root);
        GateDecision.Subject subject = switch (check.subject()) {
            case COMMAND -> GateDecision.Subject.COMMAND_LINES;
            case PATH, URL, VALUE, PATCH, NONE -> GateDecision.Subject.VALUES;
        };
        return new Ruling(effective, root, subject, GateDecision.decide(effective, root, check.permission(), subject, check.patterns(), workdir, protectedPaths));
    }

    /**
     * Decides {@code check} of the call it carries ({@link PermissionCheck#caller}, put on by the tool-call pipeline;
     * none for a check made outside a call): a deny rule denies whatever a hook said; what the rules would ask, a
     * {@code PreToolUse} hook's allow lets run and a {@code PermissionRequest} hook may answer; what they allow, a
     * {@code PreToolUse} hook's ask still asks.
     */
    @Override
    public void require(PermissionCheck check) {
        CallAsking call = check.caller().orElse(CallAsking.NONE);
        Ruling ruling = ruling(check);
        List<Ruleset> effective = ruling.effective();
        Path root = ruling.root();
        GateDecision.Subject subject = ruling.subject();
        Decision decision = ruling.decision();
        Optional<AutoReview> auto = turn.auto().now();
        if (auto.isPresent() && asks == Asks.CLIENT_ANSWERS && decision.action() != Action.DENY) {
            // auto-approval's hardDeny list holds over allow rules and the classifier (DESIGN §31): deny rules first, then it;
            // only where the classifier is the one answering — a person's own typed command, or asks answered in advance by
            // the prompt's sender (--allow-all), are theirs, as without auto-approval
            Path workdir = Optional.ofNullable(check.metadata().get("workdir")).map(root::resolve).orElse(root);
            Optional<Decision> hard = hardDeny(root).decide(check.permission(), subject, check.patterns(), workdir);
            if (hard.isPresent()) decision = hard.get();
        }
        audit.decided(new DecisionLog.Decided(session.id().value(), session.directory(), callId, check.permission(), check.patterns(), decision));
        switch (decision.action()) {
            case ALLOW -> {
                if (call.hook() == CallAsking.Hook.ASK) askFor(check, call, subject, effective, root, decision);
            }
            case DENY -> throw denied(call, denial(check, subject, decision), ToolRejection.byRule(decision.rule(), decision.origin().source()),
                    turn.policy().get().onDeny() == PermissionPolicy.OnDeny.STOP);
            case ASK -> {
                // a PreToolUse hook's allow answers what the rules leave to ask (never a deny: that was above)
                if (call.hook() != CallAsking.Hook.ALLOW) askFor(check, call, subject, effective, root, decision);
            }
        }
    }

    /**
     * What the model reads of a deny rule's refusal: {@code Denied by RULE (FILE)} — the deciding rule as written and
     * the file it is written in, so a user reading it (in {@code lathe run}'s output, the transcript) knows which file to
     * change (no file for a rule without one, a test's) — then why, and how to go on without it.
     */
    private static String denial(PermissionCheck check, GateDecision.Subject subject, Decision decision) {
        String source = decision.origin().source();
        // an administrator's rule says so: no user file can change it (DESIGN §29)
        String managed = decision.origin().layer() == RuleOrigin.Layer.MANAGED ? "managed setting, " : "";
        String by = "Denied by " + decision.rule() + (source == null || source.isBlank() ? "" : " (" + managed + source + ")");
        String what = subject == GateDecision.Subject.COMMAND_LINES ? decision.reason()
                : check.permission() + " of " + String.join(", ", check.patterns()) + " is not permitted";
        return by + ": " + what + ". " + GO_ON;
    }

    /**
     * A denial the model reads, after {@code PermissionDenied} hooks heard of it; the turn goes on, or ends when
     * {@code stops} ({@code "stop"} in {@code permission.onDeny} or {@code permission.unattended}) unless a hook said
     * the model may try again ({@code retry: true}).
     */
    private PermissionRejected denied(CallAsking call, String message, ToolRejection denial, boolean stops) {
        boolean retry = hooks.denied(call.tool(), call.argsJson(), message);
        if (retry) return PermissionRejected.denied(message + " (A PermissionDenied hook says you may retry this call.)", denial, false);
        return PermissionRejected.denied(message, denial, stops);
    }

    private void askFor(PermissionCheck check, CallAsking call, GateDecision.Subject subject, List<Ruleset> effective, Path root, Decision decision) {
        if (subject == GateDecision.Subject.COMMAND_LINES) ask(commandAsk(check, effective.getFirst(), root, decision), ApprovalScope.PROJECT, call);
        else if (check.permission().equals(EDIT)) ask(sessionWideEdits(check), ApprovalScope.SESSION, call);
        else ask(check, ApprovalScope.PROJECT, call);
    }

    /**
     * A hook's refusal the model reads, after {@code PermissionDenied} hooks heard of it: it fails only this call, as in
     * Claude Code.
     */
    private PermissionRejected refusedByHook(CallAsking call, String message) {
        boolean retry = hooks.denied(call.tool(), call.argsJson(), message);
        return PermissionRejected.goingOn(retry ? message + " (A PermissionDenied hook says you may retry this call.)" : message);
    }

    /**
     * "Always" to an edit means every edit of this session (as in Claude Code), not this one file: the rule {@code *}
     * of {@code edit}, kept for the session only. Paths the rules deny stay denied, protected paths are still asked
     * for, and more specific ask rules still ask.
     */
    private static PermissionCheck sessionWideEdits(PermissionCheck check) {
        return new PermissionCheck(check.permission(), check.subject(), check.patterns(), List.of("*"), check.title(), check.metadata(), check.display());
    }

    /**
     * A command line (bash's, or any tool's that declares a command) is decided by what it would really run (DESIGN
     * §10, {@link GateDecision}); its ask offers "always" rules for the line's sub-commands, never for the whole line,
     * and says which rule asked and why.
     */
    private static PermissionCheck commandAsk(PermissionCheck check, Ruleset first, Path root, Decision decision) {
        var decider = new PermissionDecider(first, root);
        List<String> always = check.patterns().stream().flatMap(c -> decider.alwaysRules(c).stream()).distinct().toList();
        Map<String, String> metadata = new java.util.LinkedHashMap<>(check.metadata());
        metadata.put("reason", decision.reason());
        metadata.put("rule", decision.rule());
        return new PermissionCheck(check.permission(), check.subject(), check.patterns(), always, check.title(), metadata, check.display());
    }

    private void ask(PermissionCheck check, ApprovalScope scope, CallAsking call) {
        if (cancellation.isCancelled()) throw new PermissionRejected("The turn was aborted.");
        var request = new PermissionRequest(PermissionId.next(), session.id(), message, callId, check.permission(),
                check.patterns(), check.always(), check.title(), check.metadata(), System.currentTimeMillis(), check.display(), scope,
                AskingChild.of(session));
        if (asks == Asks.ALLOWED_IN_ADVANCE && check.writesOutside()) {
            // --allow-all answers asks; it never widens where files may be written (DESIGN §26): a rule or a person may
            answered(request, PermissionReply.REJECT, "allow-all");
            throw denied(call, "Denied: " + check.metadata().get(PermissionCheck.WRITES) + " is outside the project's folders, and answering asks "
                    + "in advance (--allow-all) never lets a file tool write outside them. Write inside the project, or ask the user to add an "
                    + "external_directory allow rule for that folder.", ToolRejection.byRule("file tools write only inside the project", ""), false);
        }
        if (asks == Asks.ALLOWED_IN_ADVANCE) {
            // the prompt's sender answered every ask in advance: announced as asked and answered, never waited for
            journal.publish(new Event.PermissionAsked(request));
            journal.publish(new Event.PermissionReplied(session.id(), request.id(), PermissionReply.ONCE));
            answered(request, PermissionReply.ONCE, "allow-all");
            return;
        }
        if (asks == Asks.TYPED_BY_THE_ANSWERER) {
            answered(request, PermissionReply.ONCE, "typed");
            return;
        }
        switch (hooks.permissionRequest(call.tool(), call.argsJson())) {
            case AskHooks.Answer.Allowed _ -> {
                answered(request, PermissionReply.ONCE, "hook");
                return;
            }
            case AskHooks.Answer.Denied d -> {
                answered(request, PermissionReply.REJECT, "hook");
                throw refusedByHook(call, "A PermissionRequest hook denied this call" + (d.message().isBlank() ? "." : ": " + d.message()));
            }
            case AskHooks.Answer.Unanswered _ -> { }
        }
        // a PermissionRequest hook answered in place of the user, if it could; then auto-approval's classifier, if on
        Optional<AutoReview> auto = turn.auto().now();
        if (auto.isPresent() && autoAnswered(auto.get(), request, check, call)) return;
        // nobody else may be there to answer
        Optional<PermissionPolicy.Unattended> nobody = unattended.now();
        if (nobody.isPresent() && nobody.get() != PermissionPolicy.Unattended.WAIT) throw unanswerable(request, call, nobody.get());
        hooks.waiting("Lathe needs your permission to use " + call.tool() + (check.title().isBlank() ? "" : ": " + check.title()));
        // judged again when a client leaves (a `lathe run` that exits leaves its background children to nobody)
        var left = new LeftUnanswered<PermissionReplyRequest>(unattended, hooks, "Lathe still needs your permission to use " + call.tool()
                + ", and no client watches the session any more");
        var unanswered = new PermissionReplyRequest(PermissionReply.REJECT, Optional.of("unattended"));
        broker.open(request, session.directory(), () -> left.judge(unanswered));
        journal.publish(new Event.PermissionAsked(request));
        journal.status(SessionStatus.WAITING);
        PermissionReplyRequest reply;
        try (AutoCloseable _ = cancellation.onCancel(() -> broker.cancel(request.id()))) {
            reply = broker.await(request.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PermissionRejected("The turn was aborted.");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (reply == unanswered) {
            // nobody is left to answer (DESIGN §26): refused as if it had been raised now, the model reads why and goes on
            journal.publish(new Event.PermissionReplied(session.id(), request.id(), PermissionReply.REJECT));
            journal.status(SessionStatus.BUSY);
            throw unanswerable(request, call, left.policy());
        }
        // persist, then announce: a client told "always" must find the approval after a crash
        if (reply.reply() == PermissionReply.ALWAYS) {
            // a protected path is asked for every time: "always" stores no rule for it (the gate would ask anyway)
            // the user may have edited the suggested rules before saving them (a narrower or wider prefix): theirs win
            List<String> patterns = reply.always().orElse(check.always());
            approvals.add(patterns.stream().map(String::strip).filter(p -> !p.isEmpty() && !protectedPaths.protects(check.permission(), p))
                    .map(p -> new Rule(check.permission(), p, Action.ALLOW, RuleOrigin.APPROVAL)).toList(), scope);
        }
        journal.publish(new Event.PermissionReplied(session.id(), request.id(), reply.reply()));
        answered(request, reply.reply(), reply.by().map(u -> "user:" + u).orElse("client"));
        // a person answered what auto-approval handed back: it judges the next ask again
        auto.ifPresent(AutoReview::personAnswered);
        journal.status(SessionStatus.BUSY);
        switch (reply.reply()) {
            case ONCE, ALWAYS -> { }
            case REJECT -> {
                Optional<String> feedback = reply.message().map(String::strip).filter(m -> !m.isEmpty());
                hooks.denied(call.tool(), call.argsJson(), feedback.map(m -> WITH_FEEDBACK + m).orElse(PLAIN_REJECTION));
                throw PermissionRejected.byUser(feedback.map(m -> WITH_FEEDBACK + m).orElse(PLAIN_REJECTION), feedback);
            }
        }
    }

    /**
     * Auto-approval's classifier in place of a person (DESIGN §31): every decision is announced ({@code permission.auto})
     * and audited; true when it allowed the call, false when it hands the ask back to a person. Its denial is the model's
     * to read as a policy denial; no usable answer is refused as {@link #CLASSIFIER_UNAVAILABLE}, never as a denial.
     */
    private boolean autoAnswered(AutoReview review, PermissionRequest request, PermissionCheck check, CallAsking call) {
        Path root = Path.of(session.directory());
        Path workdir = Optional.ofNullable(check.metadata().get("workdir")).map(root::resolve).orElse(root);
        GateDecision.Subject subject = check.subject() == PermissionSource.Pattern.COMMAND ? GateDecision.Subject.COMMAND_LINES : GateDecision.Subject.VALUES;
        List<String> reach = hardDeny(root).reaches(check.permission(), subject, check.patterns(), workdir);
        AutoReview.Judged judged = review.judge(new AutoReview.Call(check.permission(), check.patterns(), call.tool(), call.argsJson(), reach), cancellation);
        AutoReview.Verdict verdict = judged.verdict();
        journal.publish(new Event.PermissionAutoDecided(session.id(), callId, check.permission(), check.patterns(), verdict.wire(), verdict.reason(),
                judged.model(), judged.tokens(), judged.ms()));
        audit.auto(new DecisionLog.Auto(session.id().value(), session.directory(), callId, check.permission(), check.patterns(),
                new DecisionLog.Judgement(verdict.wire(), verdict.reason(), judged.model(), judged.tokens(), judged.microDollars(), judged.ms())));
        String by = "auto:" + judged.model();
        switch (verdict) {
            case AutoReview.Verdict.Allowed _ -> {
                answered(request, PermissionReply.ONCE, by);
                return true;
            }
            case AutoReview.Verdict.Denied d -> {
                answered(request, PermissionReply.REJECT, by);
                throw denied(call, "Denied by auto-approval (classifier " + judged.model() + "): " + d.reason() + ". " + GO_ON,
                        ToolRejection.byRule(AUTO_RULE, judged.model()), turn.policy().get().onDeny() == PermissionPolicy.OnDeny.STOP);
            }
            case AutoReview.Verdict.NotJudged n -> {
                answered(request, PermissionReply.REJECT, by);
                throw denied(call, "Denied: " + n.reason() + ". " + GO_ON, ToolRejection.byRule(AUTO_RULE, judged.model()), false);
            }
            case AutoReview.Verdict.Unavailable u -> {
                answered(request, PermissionReply.REJECT, by);
                throw denied(call, CLASSIFIER_UNAVAILABLE + " (" + judged.model() + ": " + u.reason() + "), so this call was not run. It was not denied"
                        + " by any rule or policy. Go on with what you can do without it; the call may be tried again later.",
                        ToolRejection.byRule(AUTO_RULE, judged.model()), false);
            }
            case AutoReview.Verdict.ToPerson _ -> {
                return false;
            }
        }
    }

    /** What the model reads first when auto-approval could not decide: never a policy denial (DESIGN §31). */
    public static final String CLASSIFIER_UNAVAILABLE = "Not run: the auto-approval classifier was unavailable";

    /** The {@link ToolRejection} rule of auto-approval's refusals. */
    public static final String AUTO_RULE = "auto-approval";

    private HardDeny hardDeny(Path root) { return new HardDeny(root, Path.of(System.getProperty("user.home")), protectedPaths); }

    /**
     * An ask nobody can answer, refused as {@code permission.unattended} says, never announced as an ask (no client is
     * to answer it, nor to show it as waiting): audited as answered {@code reject} by {@code unattended}; the model reads
     * {@link #UNATTENDED_DENIAL} and goes on, or the turn ends ({@code stop}). The failed part says it was denied for want
     * of anyone to answer ({@link ToolRejection#unattended}), which is what the user's notifications tell of.
     */
    private PermissionRejected unanswerable(PermissionRequest request, CallAsking call, PermissionPolicy.Unattended policy) {
        answered(request, PermissionReply.REJECT, "unattended");
        String what = request.permission() + (request.patterns().isEmpty() ? "" : " " + String.join(" ", request.patterns()));
        return denied(call, UNATTENDED_DENIAL + ": " + what + ". " + GO_ON, ToolRejection.unattended(), policy == PermissionPolicy.Unattended.STOP);
    }

    private void answered(PermissionRequest request, PermissionReply reply, String by) {
        audit.answered(new DecisionLog.Answered(session.id().value(), session.directory(), callId, request.permission(), request.id().value(),
                reply.name().toLowerCase(java.util.Locale.ROOT), by));
    }

    /** Where "always" answers go and come from: the project's approvals and the session's ({@link RememberedAnswers}). */
    public interface Approvals {
        List<Rule> rules();

        /** Remembers {@code more} for the whole project or only for the asking session. */
        void add(List<Rule> more, ApprovalScope scope);
    }
}
