package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.ErrorBody;
import dev.lathe.protocol.api.Health;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.wire.WireJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every route through the real client and raw HTTP: success bodies, status codes and error mapping. */
class HttpApiServerTest {
    private final ServerHarness h = new ServerHarness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void healthAnswersWithoutToken() {
        var response = h.send(h.anonymous("/health"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(WireJson.read(response.body(), Health.class)).isEqualTo(new Health(true, "9.9.9-test"));
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        assertThat(h.client.health()).isEqualTo(new Health(true, "9.9.9-test"));
    }

    @Test
    void createSessionAnswers201WithTheSessionAtTopLevel() {
        var response = h.send(h.postJson("/sessions", "{\"directory\":\"/a/b\",\"title\":\"hello\"}"));
        assertThat(response.statusCode()).isEqualTo(201);
        Session session = WireJson.read(response.body(), Session.class);
        assertThat(response.body()).startsWith("{\"id\":\"ses_");
        assertThat(session.directory()).isEqualTo("/a/b");
        assertThat(session.title()).isEqualTo("hello");
        assertThat(h.client.session(session.id())).isEqualTo(session);
    }

    @Test
    void createSessionTakesTheDirectoryFromHeaderOrQueryWhenTheBodyHasNone() {
        var fromHeader = h.send(h.postJson("/sessions", "{}").header("X-Lathe-Directory", "/from/h%C3%A9ader"));
        assertThat(fromHeader.statusCode()).isEqualTo(201);
        assertThat(WireJson.read(fromHeader.body(), Session.class).directory()).isEqualTo("/from/héader");

        var fromQuery = h.send(h.postJson("/sessions?directory=%2Ffrom%2Fquery", "{}"));
        assertThat(WireJson.read(fromQuery.body(), Session.class).directory()).isEqualTo("/from/query");

        var none = h.send(h.postJson("/sessions", "{}"));
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(error(none).code()).isEqualTo("bad_request");
        assertThat(error(none).message()).contains("directory is required");
    }

    @Test
    void clientRoundTripsSessionsMessagesPromptStatusAndAbort() {
        Session a = h.client.createSession(CreateSessionRequest.in(ServerHarness.DIR));
        Session b = h.client.createSession(CreateSessionRequest.in(ServerHarness.DIR));
        h.client.createSession(CreateSessionRequest.in("/elsewhere"));

        assertThat(h.client.sessions(ServerHarness.DIR)).containsExactly(b, a);
        assertThat(h.client.status(a.id())).isEqualTo(SessionStatus.IDLE);

        PromptAccepted accepted = h.client.prompt(a.id(), new PromptRequest(
                List.of(new InputPart.Text("hi"), new InputPart.File("text/plain", "a.txt", "file:///a.txt")),
                Optional.empty(), Optional.empty()));
        List<MessageWithParts> messages = h.client.messages(a.id());
        assertThat(messages).hasSize(1);
        assertThat(messages.getFirst().info()).isInstanceOf(UserMessage.class);
        assertThat(messages.getFirst().info().id()).isEqualTo(accepted.messageId());
        assertThat(messages.getFirst().parts()).extracting(p -> p.getClass().getSimpleName()).containsExactly("Text", "File");
        assertThat(((Part.Text) messages.getFirst().parts().getFirst()).text()).isEqualTo("hi");

        h.client.abort(a.id());
        assertThat(h.api.calls).contains("prompt " + a.id(), "abort " + a.id());
    }

    @Test
    void promptAnswers202WithTheMessageId() {
        Session s = h.client.createSession(CreateSessionRequest.in(ServerHarness.DIR));
        var response = h.send(h.postJson("/sessions/" + s.id() + "/prompt", "{\"parts\":[{\"type\":\"text\",\"text\":\"go\"}]}"));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(WireJson.read(response.body(), PromptAccepted.class).messageId().value()).startsWith("msg_");
    }

    @Test
    void aPromptsDeliveryIsOneOfThreeAndAnotherIs400NamingThem() {
        Session s = h.client.createSession(CreateSessionRequest.in(ServerHarness.DIR));
        for (String delivery : List.of("queue", "steer", "interrupt")) {
            var ok = h.send(h.postJson("/sessions/" + s.id() + "/prompt", "{\"parts\":[{\"type\":\"text\",\"text\":\"go\"}],\"delivery\":\"" + delivery + "\"}"));
            assertThat(ok.statusCode()).as(delivery).isEqualTo(202);
        }
        var later = h.send(h.postJson("/sessions/" + s.id() + "/prompt", "{\"parts\":[{\"type\":\"text\",\"text\":\"go\"}],\"delivery\":\"later\"}"));
        assertThat(later.statusCode()).isEqualTo(400);
        assertThat(error(later).message()).contains("'delivery'", "'later'", "expected one of: queue, steer, interrupt").doesNotContain("dev.lathe", "Delivery");
    }

    @Test
    void aRewindRestoresOneOfThreeAndBadInputIs400InTheCallersWords() {
        Session s = h.client.createSession(CreateSessionRequest.in(ServerHarness.DIR));
        String target = "msg_01J0000000000000000000000";
        for (String restore : List.of("code", "conversation", "both")) {
            var ok = h.send(h.postJson("/sessions/" + s.id() + "/rewind", "{\"messageId\":\"" + target + "\",\"restore\":\"" + restore + "\"}"));
            assertThat(ok.statusCode()).as(restore).isEqualTo(200);
        }
        h.send(h.postJson("/sessions/" + s.id() + "/rewind", "{\"messageId\":\"" + target + "\",\"restore\":\"code\",\"confirm\":false}"));
        assertThat(h.api.calls).contains("rewind " + s.id() + " " + target + " both ASK", "rewind " + s.id() + " " + target + " code KEEP");
        var unknown = h.send(h.postJson("/sessions/" + s.id() + "/rewind", "{\"messageId\":\"" + target + "\",\"restore\":\"files\"}"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(error(unknown).message()).contains("'restore'", "'files'", "expected one of: code, conversation, both, summarise").doesNotContain("dev.lathe", "Restore");
        var missing = h.send(h.postJson("/sessions/" + s.id() + "/rewind", "{\"messageId\":\"" + target + "\"}"));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(error(missing).message()).contains("restore is required");
        var noMessage = h.send(h.postJson("/sessions/" + s.id() + "/rewind", "{\"restore\":\"both\"}"));
        assertThat(noMessage.statusCode()).isEqualTo(400);
        assertThat(error(noMessage).message()).contains("messageId is required");
    }

    @Test
    void abortAnswers200WithAnEmptyObject() {
        Session s = h.client.createSession(CreateSessionRequest.in(ServerHarness.DIR));
        var response = h.send(h.request("/sessions/" + s.id() + "/abort").POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{}");
    }

    @Test
    void sessionsOfOneFolderFromQueryOrHeaderAndOfEveryFolderWithout() {
        h.client.createSession(CreateSessionRequest.in("/x y/ü"));
        h.client.createSession(CreateSessionRequest.in("/other"));
        String q = URLEncoder.encode("/x y/ü", StandardCharsets.UTF_8);
        assertThat(WireJson.read(h.send(h.request("/sessions?directory=" + q)).body(), Session[].class)).hasSize(1);
        assertThat(WireJson.read(h.send(h.request("/sessions").header("X-Lathe-Directory", "/x%20y/%C3%BC")).body(), Session[].class))
                .hasSize(1);
        // the web UI's board lists every project's sessions (DESIGN §18)
        var every = h.send(h.request("/sessions"));
        assertThat(every.statusCode()).isEqualTo(200);
        assertThat(WireJson.read(every.body(), Session[].class)).extracting(Session::directory).containsExactlyInAnyOrder("/x y/ü", "/other");
    }

    @Test
    void permissionsListAndReplyOnBothPaths() {
        Session s = h.client.createSession(CreateSessionRequest.in(ServerHarness.DIR));
        var first = h.api.ask(s, "rm -rf build");
        var second = h.api.ask(s, "git push");

        assertThat(h.client.permissions(ServerHarness.DIR)).containsExactlyInAnyOrder(first, second);
        assertThat(h.client.permissions("")).hasSize(2);
        assertThat(h.client.permissions("/other")).isEmpty();

        h.client.replyPermission(first.id(), new PermissionReplyRequest(PermissionReply.REJECT, Optional.of("not now")));
        var viaReplyPath = h.send(h.postJson("/permissions/" + second.id() + "/reply", "{\"reply\":\"always\"}"));
        assertThat(viaReplyPath.statusCode()).isEqualTo(200);
        assertThat(viaReplyPath.body()).isEqualTo("{}");
        assertThat(h.api.calls).contains("reply " + first.id() + " reject not now", "reply " + second.id() + " always");
        assertThat(h.client.permissions("")).isEmpty();
    }

    @Test
    void badReplyValueIs400() {
        var response = h.send(h.postJson("/permissions/prm_123", "{\"reply\":\"maybe\"}"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).message()).contains("reply must be once, always or reject");
        var missing = h.send(h.postJson("/permissions/prm_123", "{}"));
        assertThat(error(missing).message()).contains("reply is required");
    }

    @Test
    void apiExceptionsKeepTheirStatusAndCode() {
        assertThatThrownBy(() -> h.client.session(SessionId.next()))
                .isInstanceOfSatisfying(LatheException.class, e -> {
                    assertThat(e).isInstanceOf(LatheException.NotFound.class);
                    assertThat(e.code()).isEqualTo("not_found");
                });
        h.api.failWith = Optional.of(new LatheException.Conflict("session is busy"));
        var response = h.send(h.request("/sessions?directory=/a"));
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(WireJson.read(response.body(), ErrorBody.class)).isEqualTo(ErrorBody.of("conflict", "session is busy"));
    }

    @Test
    void unexpectedFailuresAreAGeneric500WithoutDetails() {
        h.api.failWith = Optional.of(new IllegalStateException("secret internal detail at /home/me"));
        var response = h.send(h.request("/sessions?directory=/a"));
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(error(response).code()).isEqualTo("internal");
        assertThat(response.body()).doesNotContain("secret", "IllegalState", "at dev.");
    }

    @Test
    void badIdsAre400() {
        for (String path : List.of("/sessions/nope", "/sessions/msg_123/messages", "/sessions/x/status")) {
            var response = h.send(h.request(path));
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(error(response).message()).as(path).contains("not a session id");
        }
        var prompt = h.send(h.postJson("/sessions/bad/prompt", "{\"parts\":[{\"type\":\"text\",\"text\":\"x\"}]}"));
        assertThat(prompt.statusCode()).isEqualTo(400);
        var permission = h.send(h.postJson("/permissions/ses_1", "{\"reply\":\"once\"}"));
        assertThat(error(permission).message()).contains("not a permission id");
    }

    @Test
    void brokenPercentEscapesAre400() throws Exception {
        String reply = h.rawExchange("GET /sessions/ses_%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + ServerHarness.TOKEN + "\r\nConnection: close\r\n\r\n");
        assertThat(reply).startsWith("HTTP/1.1 400");
        String badUtf8 = h.rawExchange("GET /sessions/ses_%C3%28 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + ServerHarness.TOKEN + "\r\nConnection: close\r\n\r\n");
        assertThat(badUtf8).startsWith("HTTP/1.1 400").contains("not UTF-8");
        // a URI the JDK cannot parse (%zz above) is refused by the JDK server itself, with its own 400 page;
        // escapes that parse but are not UTF-8 reach our decoder and get the JSON error body
        String badQuery = h.rawExchange("GET /sessions?directory=%C3%28 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + ServerHarness.TOKEN + "\r\nConnection: close\r\n\r\n");
        assertThat(badQuery).startsWith("HTTP/1.1 400").contains("not UTF-8");
    }

    @Test
    void rawUtf8DirectoryHeadersAreUnderstoodToo() throws Exception {
        h.client.createSession(CreateSessionRequest.in("/tmp/café"));
        String reply = h.rawExchange("GET /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ServerHarness.TOKEN
                + "\r\nX-Lathe-Directory: " + new String("/tmp/café".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(reply).startsWith("HTTP/1.1 200").contains("\"directory\":\"/tmp/café\"");
    }

    @Test
    void malformedJsonAndWrongShapesAre400() {
        Session s = h.client.createSession(CreateSessionRequest.in(ServerHarness.DIR));
        String prompt = "/sessions/" + s.id() + "/prompt";
        for (String body : List.of("{\"parts\":", "[1,2]", "\"text\"", "", "{\"parts\":[]}", "{\"parts\":[{\"type\":\"video\"}]}",
                "{\"parts\":[{\"type\":\"text\"}]}", "{\"parts\":\"hello\"}", "{\"parts\":[null]}")) {
            var response = h.send(h.postJson(prompt, body));
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(error(response).code()).as(body).isEqualTo("bad_request");
            assertThat(response.body()).as(body).doesNotContain("\tat ", "Exception");
        }
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() {
        var unknown = h.send(h.request("/nope"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(error(unknown).code()).isEqualTo("not_found");

        var wrong = h.send(h.request("/sessions").DELETE());
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(error(wrong).code()).isEqualTo("method_not_allowed");
        assertThat(wrong.headers().firstValue("Allow")).contains("GET, POST");
        assertThat(h.send(h.request("/health").POST(java.net.http.HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(405);
    }

    @Test
    void unknownRoutesNeedTheTokenToo() {
        assertThat(h.send(h.anonymous("/nope")).statusCode()).isEqualTo(401);
    }

    static ErrorBody.Detail error(java.net.http.HttpResponse<String> response) {
        return WireJson.read(response.body(), ErrorBody.class).error();
    }
}
