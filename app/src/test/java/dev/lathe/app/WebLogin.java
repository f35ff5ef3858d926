package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.lathe.client.ServerEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.json.JsonMapper;

/** How the web ITs log a fresh browser context in, as a person does: a one-time link asked with a token, then its "Log in" button. */
final class WebLogin {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WebLogin() {}

    /** Logs {@code context} in with the server's own token; the returned page shows the board, its stream live. */
    static Page login(BrowserContext context, ServerEndpoint server) throws IOException, InterruptedException {
        return login(context, server.url(), server.token());
    }

    /** As {@link #login(BrowserContext, ServerEndpoint)} with the code asked for by {@code token} (a team user's, say). */
    static Page login(BrowserContext context, String serverUrl, String token) throws IOException, InterruptedException {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serverUrl + "/login/code"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Page page = context.newPage();
        page.navigate(JSON.readTree(response.body()).path("url").asString());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in").setExact(true)).click();
        assertThat(page.getByRole(AriaRole.STATUS, new Page.GetByRoleOptions().setName("Connection").setExact(true))).hasText("live");
        return page;
    }
}
