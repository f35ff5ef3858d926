package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.ProviderSignInStarted;
import dev.lathe.protocol.event.Event;
import dev.lathe.testkit.PlanAuthServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /auth/{provider}/sign-in} (the clients' {@code /connect}) over real HTTP with the real core: a ChatGPT
 * device-code sign-in started by a client against {@link PlanAuthServer} (the issuer set in the user's config), its
 * code shown, the tokens saved 0600 and {@code auth.signin} published; a provider without a plan refused with why.
 */
class ProviderSignInRouteTest {
    @TempDir Path tmp;

    @Test
    void aDeviceSignInStartedByAClientEndsSignedInWithTheEvent() throws Exception {
        try (var auth = new PlanAuthServer()) {
            // the user's own config (trusted): a project's could not move where the sign-in goes
            Path global = Files.createDirectories(tmp.resolve("config/lathe")).resolve("lathe.json");
            Files.writeString(global, "{\"provider\": {\"openai\": {\"oauth\": {\"issuer\": \"" + auth.base + "\"}}}}");
            try (var live = new LiveServer(tmp); var client = live.client()) {
                String dir = live.project.toString();
                List<Event> events = new CopyOnWriteArrayList<>();
                try (AutoCloseable _ = client.subscribe(new EventFilter(Optional.empty(), Optional.empty()), 0, e -> events.add(e.event()))) {
                    ProviderSignInStarted started = client.signInProvider(dir, "openai", true);

                    assertThat(started.plan()).isEqualTo("ChatGPT Plus/Pro");
                    assertThat(started.url()).isEqualTo(auth.base + "/codex/device");
                    assertThat(started.userCode()).contains("WXYZ-1234");
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (events.stream().noneMatch(e -> e instanceof Event.ProviderSignInFinished) && System.nanoTime() < deadline) Thread.sleep(20);
                    assertThat(events).filteredOn(e -> e instanceof Event.ProviderSignInFinished).singleElement()
                            .isEqualTo(new Event.ProviderSignInFinished("openai", true, Optional.empty()));
                }
                Path authFile = live.paths().authFile();
                assertThat(Files.readString(authFile)).contains("\"type\" : \"oauth\"").contains(PlanAuthServer.ACCOUNT);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(authFile))).isEqualTo("rw-------");

                assertThatThrownBy(() -> client.signInProvider(dir, "anthropic", false)).isInstanceOf(LatheException.InvalidInput.class)
                        .hasMessageContaining("no subscription sign-in").hasMessageContaining("ACP agent");
            }
        }
    }

    /**
     * Local-only mode refusing the sign-in's issuer is the policy's answer, the same every time: 403 (Forbidden), not 503
     * (Unavailable, "try later"). The client maps the status back to the case.
     */
    @Test
    void aSignInLocalOnlyModeRefusesIsForbiddenNotUnavailable() throws Exception {
        // any free port for the redirect: the refusal comes before the listener, and before any connection
        try (var live = new LiveServer(tmp, ", \"network\": \"local\""); var client = live.client()) {
            Path global = Files.createDirectories(tmp.resolve("config/lathe")).resolve("lathe.json");
            Files.writeString(global, "{\"provider\": {\"openai\": {\"oauth\": {\"redirectPort\": 0}}}}");

            assertThatThrownBy(() -> client.signInProvider(live.project.toString(), "openai", false)).isInstanceOf(LatheException.Forbidden.class)
                    .hasMessageContaining("local-only mode").hasMessageContaining("auth.openai.com");
        }
    }

    @Test
    void anIssuerThatIsNoURLIsAnsweredAsAConfigErrorNamingTheKeyNotA500() throws Exception {
        try (var live = new LiveServer(tmp); var client = live.client()) {
            Path global = Files.createDirectories(tmp.resolve("config/lathe")).resolve("lathe.json");
            Files.writeString(global, "{\"provider\": {\"openai\": {\"oauth\": {\"issuer\": \"https://auth openai.com\"}}}}");

            assertThatThrownBy(() -> client.signInProvider(live.project.toString(), "openai", true)).isInstanceOf(LatheException.InvalidConfig.class)
                    .hasMessageContaining(global.toString()).hasMessageContaining("provider.openai.oauth.issuer");
        }
    }
}
