package dev.lathe.mcp.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The browser always gets its page, even when the flow closes the listener the moment it has the code. */
class LoopbackRedirectTest {
    @Test
    void theBrowserGetsItsPageBeforeTheFlowClosesTheListener() throws Exception {
        var browser = HttpClient.newHttpClient();
        for (int round = 0; round < 30; round++) {
            var redirect = new LoopbackRedirect("st-" + round);
            // the flow: takes the code and closes the listener at once, as McpOAuth.authorize's try-with-resources does
            Thread flow = Thread.ofVirtual().start(() -> {
                try (redirect) {
                    redirect.await(Duration.ofSeconds(10));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            URI callback = URI.create(redirect.redirectUri() + "?code=c" + round + "&state=st-" + round);
            HttpResponse<String> page = browser.send(HttpRequest.newBuilder(callback).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as("round %d", round).isEqualTo(200);
            assertThat(page.body()).contains("Signed in");
            flow.join(10_000);
        }
    }

    @Test
    void aRedirectWithAnotherStateIsAnswered400AndTheRightOneStillSignsIn() throws Exception {
        var browser = HttpClient.newHttpClient();
        try (var redirect = new LoopbackRedirect("st-right")) {
            // any local page can send the listener a redirect: it must not end the user's sign-in
            URI forged = URI.create(redirect.redirectUri() + "?code=planted&state=st-forged");
            HttpResponse<String> refused = browser.send(HttpRequest.newBuilder(forged).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(400);
            URI noState = URI.create(redirect.redirectUri() + "?error=access_denied");
            assertThat(browser.send(HttpRequest.newBuilder(noState).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);

            URI right = URI.create(redirect.redirectUri() + "?code=the-users&state=st-right");
            assertThat(browser.send(HttpRequest.newBuilder(right).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(redirect.await(Duration.ofSeconds(5)).code()).isEqualTo("the-users");
        }
    }
}
