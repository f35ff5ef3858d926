package dev.lathe.server.http;

import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ApiException;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.Health;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.api.RevertRequest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * The route table of DESIGN §6 (the subset the API has so far), each route a few lines translating HTTP to one
 * {@link LatheApi} call. Inputs are validated here so the API only ever sees complete records and valid ids.
 */
final class ApiRoutes {
    private final LatheApi api;
    private final ServerOptions options;
    private final EventStreams streams;

    ApiRoutes(LatheApi api, ServerOptions options, EventStreams streams) {
        this.api = api;
        this.options = options;
        this.streams = streams;
    }

    Router router() {
        var token = Router.Access.TOKEN;
        return new Router()
                .add("GET", "/health", Router.Access.PUBLIC, c -> c.json(200, new Health(true, options.version())))
                .add("GET", "/sessions", token, this::listSessions)
                .add("POST", "/sessions", token, this::createSession)
                .add("GET", "/sessions/{id}", token, c -> c.json(200, api.session(sessionId(c))))
                .add("GET", "/sessions/{id}/messages", token, c -> c.json(200, api.messages(sessionId(c))))
                .add("GET", "/sessions/{id}/status", token, c -> c.json(200, api.status(sessionId(c))))
                .add("POST", "/sessions/{id}/prompt", token, this::prompt)
                .add("POST", "/sessions/{id}/abort", token, c -> {
                    api.abort(sessionId(c));
                    c.json(200, Map.of());
                })
                .add("POST", "/sessions/{id}/revert", token, c -> {
                    var request = Call.convert(c.jsonObject(), RevertRequest.class);
                    if (request.messageId() == null) throw ApiException.badRequest("messageId is required");
                    c.json(200, api.revert(sessionId(c), request.messageId()));
                })
                .add("POST", "/sessions/{id}/unrevert", token, c -> c.json(200, api.unrevert(sessionId(c))))
                .add("POST", "/sessions/{id}/undo", token, c -> c.json(200, api.undo(sessionId(c))))
                .add("POST", "/sessions/{id}/redo", token, c -> c.json(200, api.redo(sessionId(c))))
                .add("GET", "/permissions", token, c -> c.json(200, api.permissions(c.directory().orElse(""))))
                .add("POST", "/permissions/{id}", token, this::replyPermission)
                .add("POST", "/permissions/{id}/reply", token, this::replyPermission)
                .add("GET", "/questions", token, c -> c.json(200, api.questions(c.directory().orElse(""))))
                .add("POST", "/questions/{id}", token, this::replyQuestion)
                .add("GET", "/sessions/{id}/todos", token, c -> c.json(200, api.todos(sessionId(c))))
                .add("GET", "/events", token, this::events);
    }

    private void listSessions(Call c) throws IOException {
        String directory = c.directory().orElseThrow(() -> ApiException.badRequest(
                "directory is required (X-Lathe-Directory header or directory query parameter)"));
        c.json(200, api.sessions(directory));
    }

    private void createSession(Call c) throws IOException {
        ObjectNode body = c.jsonObject();
        if (!body.hasNonNull("directory")) c.directory().ifPresent(d -> body.put("directory", d));
        var request = Bodies.check(Call.convert(body, CreateSessionRequest.class));
        c.json(201, api.createSession(request));
    }

    private void prompt(Call c) throws IOException {
        SessionId id = sessionId(c);
        var request = Bodies.check(Call.convert(c.jsonObject(), PromptRequest.class));
        c.json(202, api.prompt(id, request));
    }

    private void replyPermission(Call c) throws IOException {
        PermissionId id = id(c.param("id"), PermissionId::new);
        var reply = Bodies.check(Call.convert(c.jsonObject(), PermissionReplyRequest.class));
        api.replyPermission(id, reply);
        c.json(200, Map.of());
    }

    private void replyQuestion(Call c) throws IOException {
        QuestionId id = id(c.param("id"), QuestionId::new);
        api.replyQuestion(id, Call.convert(c.jsonObject(), QuestionReplyRequest.class));
        c.json(200, Map.of());
    }

    private void events(Call c) throws IOException {
        Optional<SessionId> session = c.query("session").filter(s -> !s.isBlank()).map(s -> id(s, SessionId::new));
        var filter = new EventFilter(c.directory(), session);
        long afterSeq = c.query("lastEventId").or(() -> c.header("Last-Event-ID"))
                .map(String::strip).filter(s -> !s.isEmpty()).map(ApiRoutes::seq).orElse(0L);
        streams.serve(c, api, filter, afterSeq);
    }

    private static SessionId sessionId(Call c) {
        return id(c.param("id"), SessionId::new);
    }

    private static <T> T id(String raw, Function<String, T> parse) {
        try {
            return parse.apply(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static long seq(String raw) {
        try {
            long seq = Long.parseLong(raw);
            if (seq < 0) throw new NumberFormatException();
            return seq;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Last-Event-ID must be a non-negative integer, not '" + raw + "'");
        }
    }
}
