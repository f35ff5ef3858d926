package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.ScheduleRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client's environment travels in {@code X-Lathe-Environment} on the requests that create or prompt a session, and
 * only those; a malformed one is refused without echoing it.
 */
class ClientEnvironmentRouteTest {
    private final ServerHarness h = new ServerHarness();

    @AfterEach
    void close() { h.close(); }

    @Test
    void theClientSendsItsEnvironmentWithCreateAndPromptAndTheRoutesHandItOn() {
        var shell = new ClientEnvironment(Map.of("LATHE_CONFIG_CONTENT", "{\"model\": \"a/b\"}", "ANTHROPIC_API_KEY", "sk-secret-1"));
        var client = h.client.withEnvironment(shell);
        var session = client.createSession(CreateSessionRequest.in(ServerHarness.DIR));
        client.prompt(session.id(), PromptRequest.text("hi"));
        client.session(session.id());
        client.messages(session.id());
        assertThat(h.api.environments).containsExactly(shell, shell);

        h.client.prompt(session.id(), PromptRequest.text("from a client without one"));
        assertThat(h.api.environments).hasSize(2);

        // what the folder's sessions see is answered for that client too
        // (the fake answers them with an error: only what reached it matters here)
        List<Runnable> describe = List.of(() -> client.config(ServerHarness.DIR), () -> client.providers(ServerHarness.DIR),
                () -> client.models(ServerHarness.DIR));
        for (Runnable r : describe) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // the fake's "not implemented"
            }
        }
        assertThat(h.api.environments).hasSize(5).allMatch(shell::equals);
    }

    @Test
    void addingAScheduleHandsTheClientsEnvironmentOnSoItsRunsKeepItsModeAndConfig() {
        var shell = new ClientEnvironment(Map.of("LATHE_NETWORK", "local", "LATHE_CONFIG", "/home/a/lathe.json"));
        try {
            h.client.withEnvironment(shell).addSchedule(new ScheduleRequest("@daily", Optional.empty(), Optional.of(ServerHarness.DIR), Optional.empty(), "x"));
        } catch (RuntimeException e) {
            // the fake keeps no schedules: only what reached it matters here
        }
        assertThat(h.api.environments).containsExactly(shell);
    }

    @Test
    void aMalformedHeaderIs400AndNotEchoed() {
        var response = h.send(h.postJson("/sessions", "{\"directory\":\"/a\"}").header(ClientEnvironment.HEADER, "not-base64-sk-secret-2!"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains(ClientEnvironment.HEADER).doesNotContain("sk-secret-2");
    }

    @Test
    void theHeaderRoundTripsAndDropsNamesThatDoNotTravel() {
        var shell = new ClientEnvironment(Map.of("LATHE_CONFIG", "/x/ü.json", "HF_TOKEN", "t\"o\\k"));
        assertThat(ClientEnvironment.decode(shell.encode())).isEqualTo(shell);
        String withPath = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"PATH\":\"/evil\",\"OPENAI_API_KEY\":\"k\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(ClientEnvironment.decode(withPath).variables()).containsOnlyKeys("OPENAI_API_KEY");
        assertThat(ClientEnvironment.of(Map.of("PATH", "/bin", "AWS_SECRET_ACCESS_KEY", "s", "CLARIFAI_PAT", "p", "AWS_ACCESS_KEY_ID", "i"))
                .variables()).containsOnlyKeys("AWS_SECRET_ACCESS_KEY", "CLARIFAI_PAT", "AWS_ACCESS_KEY_ID");
    }
}
