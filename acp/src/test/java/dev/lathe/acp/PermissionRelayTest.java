package dev.lathe.acp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.jsonrpc.Json;
import dev.lathe.jsonrpc.JsonRpcError;
import dev.lathe.jsonrpc.JsonRpcPeer;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A spend limit's ask put to an editor over real JSON-RPC pipes: the editor is told of a tool call standing for the
 * limit before the ask names it, is offered the three answers by what they do to the limit, and its choice reaches the
 * daemon (a recording {@link LatheApi}) and ends the tool call.
 */
class PermissionRelayTest {
    private static final Path DIR = Path.of("/work/project");
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    /** Lets an editor that does not answer go. */
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

    @AfterEach
    void closeAll() throws Exception {
        done.countDown();
        for (AutoCloseable c : open) c.close();
    }

    private record Pipe(InputStream in, OutputStream out) {
        static Pipe open() throws IOException {
            var pipe = java.nio.channels.Pipe.open();
            return new Pipe(Channels.newInputStream(pipe.source()), Channels.newOutputStream(pipe.sink()));
        }
    }

    /** What the editor received, in order: a notification's update, or a request's params (marked with its method). */
    private final BlockingQueue<ObjectNode> received = new LinkedBlockingQueue<>();

    /** An editor that answers every permission ask with {@code option} (null: never); returns the relay's end of the wire. */
    private JsonRpcPeer editorChoosing(String option) throws IOException {
        var toAgent = Pipe.open();
        var toEditor = Pipe.open();
        var editor = new JsonRpcPeer("agent", toEditor.in(), toAgent.out(), new JsonRpcPeer.Handler() {
            @Override
            public void received(String method, JsonNode params) {
                // the reading thread, in arrival order: the request is seen here before its own thread answers it
                received.add(Json.object().put("method", method).set("params", params));
            }

            @Override
            public JsonNode request(String method, JsonNode params) throws JsonRpcError {
                if (option == null) {
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw JsonRpcError.invalidParams("the test is over");
                }
                ObjectNode result = Json.object();
                result.putObject("outcome").put("outcome", "selected").put("optionId", option);
                return result;
            }

            @Override
            public void notification(String method, JsonNode params) {
                received.add(Json.object().put("method", method).set("params", params));
            }
        });
        var agent = new JsonRpcPeer("editor", toAgent.in(), toEditor.out(), new JsonRpcPeer.Handler() {
            @Override
            public JsonNode request(String method, JsonNode params) throws JsonRpcError { throw JsonRpcError.methodNotFound(method); }

            @Override
            public void notification(String method, JsonNode params) { }
        });
        open.add(editor);
        open.add(agent);
        editor.start();
        agent.start();
        return agent;
    }

    /** A daemon that records the answers it is given and knows nothing else. */
    private static LatheApi daemon(BlockingQueue<PermissionReplyRequest> replies) {
        return (LatheApi) Proxy.newProxyInstance(LatheApi.class.getClassLoader(), new Class<?>[] {LatheApi.class}, (_, method, args) -> {
            if (method.getName().equals("replyPermission")) {
                replies.add((PermissionReplyRequest) args[1]);
                return null;
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }

    static PermissionRequest budgetAsk(SessionId session) {
        return new PermissionRequest(PermissionId.next(), session, MessageId.next(), "", BudgetAsks.PERMISSION, List.of("limits.session.usd"),
                List.of(), "Spend limit reached: session $5.02 of $5.00 (limits.session.usd). Allow once to let this session spend $5.00 more, "
                        + "always to lift this limit for the session, reject to stop.",
                Map.of(BudgetAsks.LIMIT, "limits.session.usd", BudgetAsks.SPENT, "session $5.02 of $5.00", BudgetAsks.RAISE,
                        "$5.00 more for this session"), 1, Optional.empty());
    }

    @Test
    void aBudgetAskIsAToolCallTheEditorKnowsWithAnswersNamedForTheLimit() throws Exception {
        SessionId session = SessionId.next();
        PermissionRequest ask = budgetAsk(session);
        var replies = new LinkedBlockingQueue<PermissionReplyRequest>();
        new PermissionRelay(daemon(replies), editorChoosing("allow_always")).ask(session, ask, DIR);

        String callId = "budget-" + ask.id().value();
        // first the tool call, pending, titled with the limit
        ObjectNode announced = next();
        assertThat(announced.path("method").asString()).isEqualTo("session/update");
        JsonNode call = announced.path("params").path("update");
        assertThat(call.path("sessionUpdate").asString()).isEqualTo("tool_call");
        assertThat(call.path("toolCallId").asString()).isEqualTo(callId);
        assertThat(call.path("kind").asString()).isEqualTo("other");
        assertThat(call.path("status").asString()).isEqualTo("pending");
        assertThat(call.path("title").asString()).isEqualTo("Spend limit reached: session $5.02 of $5.00 (limits.session.usd)");

        // then the ask, naming that call, with the three answers by what they do
        ObjectNode asked = next();
        assertThat(asked.path("method").asString()).isEqualTo("session/request_permission");
        assertThat(asked.path("params").path("toolCall").path("toolCallId").asString()).isEqualTo(callId);
        JsonNode options = asked.path("params").path("options");
        assertThat(options.findValuesAsString("kind")).containsExactly("allow_once", "allow_always", "reject_once");
        assertThat(options.findValuesAsString("name")).containsExactly("Allow $5.00 more for this session",
                "Lift limits.session.usd for this session", "Stop here");

        // the editor's "lift" reaches the daemon as always, and the call is completed
        assertThat(replies.poll(10, TimeUnit.SECONDS)).isNotNull().extracting(PermissionReplyRequest::reply).isEqualTo(PermissionReply.ALWAYS);
        JsonNode done = next().path("params").path("update");
        assertThat(done.path("sessionUpdate").asString()).isEqualTo("tool_call_update");
        assertThat(done.path("toolCallId").asString()).isEqualTo(callId);
        assertThat(done.path("status").asString()).isEqualTo("completed");
    }

    @Test
    void aBudgetAskStoppedInTheEditorFailsItsCall() throws Exception {
        SessionId session = SessionId.next();
        var replies = new LinkedBlockingQueue<PermissionReplyRequest>();
        PermissionRequest stopped = budgetAsk(session);
        new PermissionRelay(daemon(replies), editorChoosing("reject_once")).ask(session, stopped, DIR);
        next();
        next();
        assertThat(replies.poll(10, TimeUnit.SECONDS)).extracting(PermissionReplyRequest::reply).isEqualTo(PermissionReply.REJECT);
        JsonNode failed = next().path("params").path("update");
        assertThat(failed.path("toolCallId").asString()).isEqualTo("budget-" + stopped.id().value());
        assertThat(failed.path("status").asString()).isEqualTo("failed");
    }

    @Test
    void aBudgetAskAnsweredInAnotherClientIsWithdrawnAndItsCallEndsWithThatAnswer() throws Exception {
        SessionId session = SessionId.next();
        var replies = new LinkedBlockingQueue<PermissionReplyRequest>();
        var relay = new PermissionRelay(daemon(replies), editorChoosing(null));
        PermissionRequest raised = budgetAsk(session);
        relay.ask(session, raised, DIR);
        next();
        next();
        relay.withdraw(raised.id(), PermissionReply.ONCE);
        assertThat(next().path("method").asString()).isEqualTo(PermissionRelay.CANCEL_REQUEST);
        JsonNode ended = next().path("params").path("update");
        assertThat(ended.path("toolCallId").asString()).isEqualTo("budget-" + raised.id().value());
        assertThat(ended.path("status").asString()).isEqualTo("completed");
        assertThat(ended.path("content").get(0).path("content").path("text").asString()).isEqualTo("Allowed $5.00 more for this session.");
        // the editor's own answer is no longer wanted: nothing more is sent, and the daemon hears nothing from here
        assertThat(replies.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void anOrdinaryAskIsNotAnnouncedAndNamesItsOwnCall() throws Exception {
        SessionId session = SessionId.next();
        var ask = new PermissionRequest(PermissionId.next(), session, MessageId.next(), "call_1", "bash", List.of("make"), List.of("make *"),
                "bash make", Map.of(), 1, Optional.empty());
        var replies = new LinkedBlockingQueue<PermissionReplyRequest>();
        new PermissionRelay(daemon(replies), editorChoosing("allow_once")).ask(session, ask, DIR);
        ObjectNode first = next();
        assertThat(first.path("method").asString()).isEqualTo("session/request_permission");
        assertThat(first.path("params").path("toolCall").path("toolCallId").asString()).isEqualTo("call_1");
        assertThat(replies.poll(10, TimeUnit.SECONDS)).extracting(PermissionReplyRequest::reply).isEqualTo(PermissionReply.ONCE);
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    private ObjectNode next() throws InterruptedException {
        ObjectNode message = received.poll(10, TimeUnit.SECONDS);
        assertThat(message).as("a message to the editor").isNotNull();
        return message;
    }
}
