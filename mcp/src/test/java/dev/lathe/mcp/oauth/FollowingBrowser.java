package dev.lathe.mcp.oauth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;

/**
 * A browser for the tests: loads the authorization URL, follows the server's redirect to the loopback listener (as a
 * signed-in user's browser would), optionally altering the redirect first (a forged or tampered one).
 */
final class FollowingBrowser implements Browser {
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final UnaryOperator<String> alterRedirect;
    volatile URI lastAuthorizationUrl;
    volatile int callbackStatus;

    FollowingBrowser(UnaryOperator<String> alterRedirect) {
        this.alterRedirect = alterRedirect;
    }

    FollowingBrowser() {
        this(UnaryOperator.identity());
    }

    @Override
    public void open(URI authorizationUrl) {
        lastAuthorizationUrl = authorizationUrl;
        try {
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(authorizationUrl).timeout(java.time.Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            String location = page.headers().firstValue("Location")
                    .orElseThrow(() -> new IllegalStateException("the authorization server did not redirect: " + page.statusCode() + " " + page.body()));
            HttpResponse<String> callback = client.send(HttpRequest.newBuilder(URI.create(alterRedirect.apply(location))).timeout(java.time.Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            callbackStatus = callback.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
