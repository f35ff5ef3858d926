package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.wire.WireJson;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /sessions/{id}/messages?limit&before} over HTTP: the page, its header, and what it refuses. */
class MessagePageRouteTest {
    private final ServerHarness h = new ServerHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aPageIsTheNewestMessagesOldestFirstWithTheMoreHeader() {
        Session s = h.client.createSession(CreateSessionRequest.in(ServerHarness.DIR));
        for (int i = 0; i < 7; i++) h.client.prompt(s.id(), PromptRequest.text("m" + i));
        List<MessageWithParts> all = h.client.messages(s.id());

        var newest = h.send(h.request("/sessions/" + s.id().value() + "/messages?limit=3"));
        assertThat(newest.statusCode()).isEqualTo(200);
        assertThat(newest.headers().firstValue(MessagePage.MORE_HEADER)).contains("true");
        assertThat(List.of(WireJson.read(newest.body(), MessageWithParts[].class))).isEqualTo(all.subList(4, 7));

        var oldest = h.send(h.request("/sessions/" + s.id().value() + "/messages?limit=3&before=" + all.get(2).info().id().value()));
        assertThat(oldest.headers().firstValue(MessagePage.MORE_HEADER)).contains("false");
        assertThat(List.of(WireJson.read(oldest.body(), MessageWithParts[].class))).isEqualTo(all.subList(0, 2));

        // without limit: the whole history and no header, as before
        var unpaged = h.send(h.request("/sessions/" + s.id().value() + "/messages"));
        assertThat(unpaged.headers().firstValue(MessagePage.MORE_HEADER)).isEmpty();
        assertThat(List.of(WireJson.read(unpaged.body(), MessageWithParts[].class))).isEqualTo(all);

        // the client library reads the header
        assertThat(h.client.messages(s.id(), 4, Optional.empty())).isEqualTo(new MessagePage(all.subList(3, 7), true));
        assertThat(h.client.messages(s.id(), 4, Optional.of(all.get(3).info().id()))).isEqualTo(new MessagePage(all.subList(0, 3), false));
    }

    @Test
    void aBadLimitOrBeforeIs400WithAMessage() {
        Session s = h.client.createSession(CreateSessionRequest.in(ServerHarness.DIR));
        h.client.prompt(s.id(), PromptRequest.text("only"));
        String path = "/sessions/" + s.id().value() + "/messages";
        for (String query : List.of("?limit=0", "?limit=-4", "?limit=ten", "?limit=1.5", "?limit=" + (MessagePage.MAX_LIMIT + 1), "?limit=",
                "?limit=99999999999", "?limit=5&before=msg_unknown", "?limit=5&before=ses_1", "?before=msg_1")) {
            var response = h.send(h.request(path + query));
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(HttpApiServerTest.error(response).message()).as(query).containsAnyOf("limit", "before", "message");
        }
        assertThat(h.send(h.request("/sessions/" + dev.lathe.protocol.SessionId.next().value() + "/messages?limit=5")).statusCode()).isEqualTo(404);
    }
}
