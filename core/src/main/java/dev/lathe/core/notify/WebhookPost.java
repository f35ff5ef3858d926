package dev.lathe.core.notify;

import dev.lathe.core.config.Config;
import dev.lathe.core.network.NetworkPolicy;
import dev.lathe.core.network.Purpose;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs a {@link Notice} to the user's {@code notify.webhook}: http and https only (a {@code file:} or any other scheme
 * is refused), within local-only mode's rules, answered within the timeout or given up. A failure is logged with the
 * URL's scheme and host only: the path and query of a chat webhook are its credential.
 */
public final class WebhookPost {
    private static final System.Logger LOG = System.getLogger(WebhookPost.class.getName());

    private final HttpClient http;
    private final Duration timeout;

    public WebhookPost(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** Posts {@code notice} to {@code url}; {@code config} says whether local-only mode allows it. Never throws. */
    void post(String url, Notice notice, Config config) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            LOG.log(System.Logger.Level.WARNING, "notify: the webhook is not a URL; nothing sent");
            return;
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
            LOG.log(System.Logger.Level.WARNING, "notify: the webhook must be an http:// or https:// URL; nothing sent to " + shown(uri));
            return;
        }
        var policy = NetworkPolicy.of(config);
        if (!policy.allows(Purpose.hook("notify"), uri)) {
            LOG.log(System.Logger.Level.WARNING, "notify: local-only mode: nothing sent to " + shown(uri));
            return;
        }
        var request = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(notice.json())).build();
        var sent = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            int status = sent.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).statusCode();
            if (status >= 300) LOG.log(System.Logger.Level.WARNING, "notify: the webhook at " + shown(uri) + " answered " + status);
        } catch (TimeoutException e) {
            sent.cancel(true);
            LOG.log(System.Logger.Level.WARNING, "notify: the webhook at " + shown(uri) + " did not answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "notify: cannot reach the webhook at " + shown(uri));
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
        }
    }

    /** {@code scheme://host[:port]}: no user, path or query, which may hold a credential. */
    static String shown(URI uri) {
        if (uri.getHost() == null) return String.valueOf(uri.getScheme()) + ":";
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
    }
}
