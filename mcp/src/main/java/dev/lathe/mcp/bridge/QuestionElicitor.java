package dev.lathe.mcp.bridge;

import dev.lathe.mcp.Elicitor;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.event.Question;
import dev.lathe.tools.ToolFailure;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Puts a server's elicitation to the user through the session whose tool call is running on that server
 * ({@link RunningCalls}): one question per field of the requested form, asked through that call's {@code questions}
 * port (in Lathe: the session's question, shown by whichever client is attached and answered through the API).
 *
 * <ul>
 *   <li>accept with the content read back into the schema's types; an answer a field does not accept (a word for a
 *       number, a malformed e-mail address) asks that field again, saying why, at most {@link #ROUNDS} times;
 *   <li>decline when the user dismissed the questions, or the form is not one MCP allows;
 *   <li>cancel when nobody can be asked: no call of a session runs on the server, the session's client cannot answer
 *       ({@code lathe run} answers "unavailable"), the turn was aborted, or the call ended (its timeout) first.
 * </ul>
 * URL-mode elicitation is not offered (the capability declares form only), so a URL request is cancelled.
 */
public final class QuestionElicitor implements Elicitor {
    private static final System.Logger LOG = System.getLogger(QuestionElicitor.class.getName());
    /** How many times a form is asked when answers are not accepted. */
    static final int ROUNDS = 3;

    private final RunningCalls calls;

    public QuestionElicitor(RunningCalls calls) {
        this.calls = calls;
    }

    @Override
    public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
        if (!(request instanceof McpSchema.ElicitFormRequest form)) return result(McpSchema.ElicitResult.Action.CANCEL);
        var call = calls.newest(server);
        if (call.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "MCP server {0} asked for input with no call of a session running: cancelled", server);
            return result(McpSchema.ElicitResult.Action.CANCEL);
        }
        ElicitationForm parsed;
        try {
            parsed = ElicitationForm.parse(form.requestedSchema());
        } catch (ElicitationForm.Unsupported e) {
            LOG.log(System.Logger.Level.INFO, "MCP server {0} asked for input Lathe cannot ask for ({1}): declined", server, e.getMessage());
            return result(McpSchema.ElicitResult.Action.DECLINE);
        }
        String message = server + " asks: " + (form.message() == null ? "" : form.message().strip());
        // asked on a thread of its own, so that the end of the call can interrupt it without touching the SDK's threads
        var answer = new CompletableFuture<McpSchema.ElicitResult>();
        Thread.ofVirtual().name("mcp-elicit-" + server).start(() -> {
            if (!call.get().asking(Thread.currentThread())) {
                answer.complete(result(McpSchema.ElicitResult.Action.CANCEL));
                return;
            }
            try {
                answer.complete(ask(call.get(), parsed, message));
            } catch (RuntimeException e) {
                answer.complete(result(McpSchema.ElicitResult.Action.CANCEL));
            } finally {
                call.get().done(Thread.currentThread());
            }
        });
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(McpSchema.ElicitResult.Action.CANCEL);
        } catch (ExecutionException e) {
            return result(McpSchema.ElicitResult.Action.CANCEL);
        }
    }

    /**
     * The heading of a round's questions: the server's message and, when its call gives up at a known time, how long
     * the user has to answer (issue 71, minor 15: the question vanished at the call's timeout, 30 s by default, with
     * nothing on screen saying there was one).
     */
    static String heading(String message, Optional<Duration> left) {
        return message + left.map(d -> " (answer within " + Math.max(1, (d.toMillis() + 999) / 1000) + " s: the call waits no longer)").orElse("")
                + "\n";
    }

    private static McpSchema.ElicitResult ask(RunningCalls.Call call, ElicitationForm form, String message) {
        Map<String, Object> content = new LinkedHashMap<>();
        List<ElicitationField> pending = form.fields();
        Map<String, String> complaints = new HashMap<>();
        for (int round = 0; round < ROUNDS && !pending.isEmpty(); round++) {
            List<Question> questions = form.questions(heading(message, call.left()), pending, complaints);
            List<List<String>> answers;
            try {
                answers = call.context().session().questions().ask(questions);
            } catch (ToolFailure refused) {
                return result(nobodyAnswered(refused) || Thread.currentThread().isInterrupted()
                        ? McpSchema.ElicitResult.Action.CANCEL : McpSchema.ElicitResult.Action.DECLINE);
            }
            complaints.clear();
            List<ElicitationField> again = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                ElicitationField field = pending.get(i);
                try {
                    var value = field.read(i < answers.size() ? answers.get(i) : List.of());
                    if (value.isPresent()) content.put(field.key(), value.get());
                } catch (ElicitationField.Invalid e) {
                    complaints.put(field.key(), e.getMessage());
                    again.add(field);
                }
            }
            pending = again;
        }
        if (!pending.isEmpty()) return result(McpSchema.ElicitResult.Action.CANCEL);
        // the server's own order, whatever order the fields were finally answered in
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (ElicitationField f : form.fields()) if (content.containsKey(f.key())) ordered.put(f.key(), content.get(f.key()));
        return McpSchema.ElicitResult.builder().message(McpSchema.ElicitResult.Action.ACCEPT).content(ordered).build();
    }

    /** The refusal is not the user's: nobody could answer, or the turn ended (an explicit dismissal is a decline). */
    private static boolean nobodyAnswered(ToolFailure refused) {
        String m = String.valueOf(refused.getMessage());
        return m.equals(QuestionReplyRequest.UNAVAILABLE) || m.equals("The turn was aborted.") || m.equals("cancelled");
    }

    private static McpSchema.ElicitResult result(McpSchema.ElicitResult.Action action) {
        return McpSchema.ElicitResult.builder().message(action).build();
    }
}
