package dev.lathe.core.ask;

import dev.lathe.protocol.session.Wrapper;
import dev.lathe.core.permission.AutoApproval;
import dev.lathe.core.permission.AutoPolicy;
import dev.lathe.core.permission.AutoState;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.SessionId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-approval's judge for one turn (DESIGN §31): asked only about what the rules leave to ask, after deny rules, the
 * {@code hardDeny} list and allow rules; it asks the classifier ({@link Classifier}) with the user's own messages, the
 * call, the project folder and what the call would reach, and reads its JSON answer. Within {@link AutoApproval#timeout}
 * a failed or unreadable attempt is tried again; when none answers, the call is refused as "classifier unavailable",
 * never as a policy denial. After {@link AutoApproval#DENIALS_IN_A_ROW} denials in a row, or
 * {@link AutoApproval#DENIALS_PER_SESSION} in the session, the ask goes to a person. Identical calls within the turn are
 * decided once.
 */
public final class AutoReview {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** At most this many attempts within the deadline: a classifier that keeps failing is unavailable, not retried forever. */
    private static final int ATTEMPTS = 3;
    /** The most of the user's words one request carries (the newest kept): a long session must not make each call cost more. */
    private static final int USER_WORDS_LIMIT = 24_000;

    /** One request to the classifier model, through the normal provider path and the spend ledger. */
    @FunctionalInterface
    public interface Classifier {
        /** Sends {@code system} and {@code user} to {@code model}; the text of its answer, with what it cost. */
        Reply ask(String model, String system, String user, Cancellation cancellation) throws Exception;
    }

    /** The classifier's answer: its text, and its tokens (input + output) and cost in micro-dollars. */
    public record Reply(String text, long tokens, long microDollars) {}

    /** What a call would reach beyond the project (paths outside it, network, git remotes), shown to the classifier. */
    public record Call(String permission, List<String> patterns, String tool, String argsJson, List<String> reach) {
        public Call {
            patterns = List.copyOf(patterns);
            reach = List.copyOf(reach);
        }

        String key() { return permission + "\u0000" + patterns + "\u0000" + tool + "\u0000" + argsJson; }
    }

    /** What the judge said. */
    public sealed interface Verdict {
        String reason();

        record Allowed(String reason) implements Verdict {}

        record Denied(String reason) implements Verdict {}

        /** No usable answer in time: refused, and the model reads that the classifier was unavailable. */
        record Unavailable(String reason) implements Verdict {}

        /** Not the classifier's to judge (an MCP tool, a path outside the project): refused without asking it. */
        record NotJudged(String reason) implements Verdict {}

        /** Too many denials: this ask goes to a person (or, unattended, to {@code permission.unattended}). */
        record ToPerson(String reason) implements Verdict {}

        default String wire() {
            return switch (this) {
                case Allowed _ -> "allow";
                case Denied _ -> "deny";
                case Unavailable _ -> "unavailable";
                case NotJudged _ -> "deny";
                case ToPerson _ -> "ask";
            };
        }
    }

    /** A verdict with what it cost: the classifier {@code model}, its tokens, cost, and how long it took. */
    public record Judged(Verdict verdict, String model, long tokens, long microDollars, long ms) {}

    private final AutoApproval settings;
    private final Classifier classifier;
    private final AutoState state;
    private final SessionId session;
    private final String directory;
    private final UserWords userWords;
    private final Map<String, Judged> decided = new ConcurrentHashMap<>();

    /** The user's own messages of the session, oldest first: never tool output, file text or the agent's words. */
    @FunctionalInterface
    public interface UserWords {
        List<String> all();
    }

    public AutoReview(AutoApproval settings, Classifier classifier, AutoState state, SessionId session, String directory, UserWords userWords) {
        this.settings = settings;
        this.classifier = classifier;
        this.state = state;
        this.session = session;
        this.directory = directory;
        this.userWords = userWords;
    }

    public String model() { return settings.model(); }

    /** The settings it judges with: a changed configuration makes a new judge. */
    public AutoApproval settings() { return settings; }

    /** A person answered an ask this judge handed back: the denials in a row start again. */
    public void personAnswered() { state.answeredByPerson(session); }

    /** Judges {@code call}; the same call again within the turn gets the same verdict without a second request. */
    public Judged judge(Call call, Cancellation turn) {
        if (!AutoPolicy.JUDGED.contains(call.permission())) {
            return new Judged(new Verdict.NotJudged("auto-approval does not judge " + call.permission() + " requests (an MCP or plugin tool, or a path"
                    + " outside the project); add an allow rule or switch auto-approval off to be asked"), settings.model(), 0, 0, 0);
        }
        Judged earlier = decided.get(call.key());
        if (earlier != null) return earlier;
        AutoState.Denials denials = state.denials(session);
        if (denials.handBack()) {
            return new Judged(new Verdict.ToPerson(denials.inARow() >= AutoApproval.DENIALS_IN_A_ROW ? denials.inARow() + " classifier denials in a row"
                    : denials.total() + " classifier denials in this session"), settings.model(), 0, 0, 0);
        }
        Judged judged = ask(call, turn);
        switch (judged.verdict()) {
            case Verdict.Allowed _ -> state.allowed(session);
            case Verdict.Denied _, Verdict.Unavailable _ -> state.denied(session);
            case Verdict.NotJudged _, Verdict.ToPerson _ -> { }
        }
        // an unavailable classifier may answer the same call a moment later: only real answers are kept for the turn
        if (!(judged.verdict() instanceof Verdict.Unavailable)) decided.put(call.key(), judged);
        return judged;
    }

    private Judged ask(Call call, Cancellation turn) {
        long start = System.nanoTime();
        long deadline = start + settings.timeout().toNanos();
        String system = AutoPolicy.with(settings.policy());
        String user = question(call);
        long tokens = 0;
        long cost = 0;
        String failure = "no answer";
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int attempt = 0; attempt < ATTEMPTS && System.nanoTime() < deadline && !turn.isCancelled(); attempt++) {
                Cancellation one = turn.child();
                var future = executor.submit(() -> classifier.ask(settings.model(), system, user, one));
                try {
                    Reply reply = future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    tokens += reply.tokens();
                    cost += reply.microDollars();
                    Optional<Verdict> verdict = parse(reply.text());
                    if (verdict.isPresent()) return new Judged(verdict.get(), settings.model(), tokens, cost, millis(start));
                    failure = "its answer was not the JSON asked for";
                } catch (TimeoutException e) {
                    one.cancel();
                    future.cancel(true);
                    failure = "no answer within " + settings.timeout().toSeconds() + " s";
                } catch (ExecutionException e) {
                    failure = "the request failed: " + firstLine(e.getCause() == null ? e : e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = "interrupted";
                    break;
                } finally {
                    one.detach();
                }
            }
        }
        return new Judged(new Verdict.Unavailable(failure), settings.model(), tokens, cost, millis(start));
    }

    private static long millis(long start) { return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start); }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse("").strip();
    }

    /** The request's user message: the user's words, then the call, the folder and what the call reaches. */
    String question(Call call) {
        var words = new StringBuilder();
        List<String> all = userWords.all();
        for (int i = all.size() - 1; i >= 0 && words.length() < USER_WORDS_LIMIT; i--) {
            words.insert(0, Wrapper.USER_MESSAGE.wrap(all.get(i).strip()) + "\n");
        }
        // escaped by the one wrapper: a call's arguments (the model's, fed by file or web text) cannot close <call> and
        // open a <user_message> that reads as the user's authorization
        return "The user's messages in this session (oldest first):\n" + words
                + "\nThe tool call to decide:\n" + Wrapper.CALL.wrap("tool: " + call.tool() + "\npermission: " + call.permission() + "\nwhat it asks for: "
                + String.join("\n  ", call.patterns()) + "\narguments: " + call.argsJson()) + "\n"
                + "\nProject folder: " + directory + "\nWhat the call would reach outside the project: "
                + (call.reach().isEmpty() ? "nothing found" : String.join("; ", call.reach())) + "\n";
    }

    /** {@code {"decision": "allow"|"deny", "reason": "..."}}, possibly fenced or with words around it; empty when unreadable. */
    static Optional<Verdict> parse(String text) {
        if (text == null) return Optional.empty();
        int open = text.indexOf('{');
        int close = text.lastIndexOf('}');
        if (open < 0 || close <= open) return Optional.empty();
        JsonNode node;
        try {
            node = JSON.readTree(text.substring(open, close + 1));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        String decision = node.path("decision").asString("").strip().toLowerCase(Locale.ROOT);
        String reason = node.path("reason").asString("").strip();
        if (reason.isEmpty()) reason = "no reason given";
        reason = reason.lines().findFirst().orElse("").replaceAll("\\p{Cntrl}", " ");
        if (reason.length() > 300) reason = reason.substring(0, 300) + "…";
        return switch (decision) {
            case "allow" -> Optional.of(new Verdict.Allowed(reason));
            case "deny" -> Optional.of(new Verdict.Denied(reason));
            default -> Optional.empty();
        };
    }

    /** Auto-approval's judges of one turn, per session: empty while it is off for {@code session}. */
    @FunctionalInterface
    public interface ForTurn {
        Optional<AutoReview> now();

        ForTurn OFF = Optional::empty;
    }

}
