package dev.lathe.core.subscription;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * GitHub Copilot, as the editors' Copilot plugins sign in (decision 121 has the sources): GitHub's device flow
 * (RFC 8628: {@code /login/device/code}, then {@code /login/oauth/access_token} polled) gives a GitHub token, kept as
 * the entry's {@code refresh}; {@code api.github.com/copilot_internal/v2/token} exchanges it for a Copilot token that
 * lasts about half an hour (the entry's {@code access}), and names the API endpoint of the user's plan. Renewing is that
 * exchange again; a GitHub token GitHub no longer accepts (revoked, or no Copilot seat) means signing in again.
 */
public final class CopilotSignIn implements PlanSignIn {
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    private final PlanEndpoints endpoints;
    private final PlanHttp http;
    private final Clock clock;

    CopilotSignIn(PlanEndpoints endpoints, PlanHttp http, Clock clock) {
        this.endpoints = endpoints;
        this.http = http;
        this.clock = clock;
    }

    @Override public Plan plan() { return Plan.COPILOT; }

    @Override
    public DeviceCode startDevice() throws SignInException, InterruptedException {
        PlanHttp.Answer answer = ChatGptSignIn.call(() -> http.postJson(endpoints.issuer("/login/device/code"),
                Map.of("client_id", endpoints.clientId(), "scope", "read:user")), "asking GitHub for a device code");
        if (!answer.ok()) throw new SignInException("asking GitHub for a device code failed: " + answer.describe());
        String device = answer.field("device_code");
        String user = answer.field("user_code");
        String page = answer.field("verification_uri");
        if (device.isEmpty() || user.isEmpty() || page.isEmpty()) throw new SignInException("GitHub's device code answer lacks device_code, user_code or verification_uri");
        return new DeviceCode(webUrl(page).orElseThrow(() -> new SignInException("GitHub's device code answer names no web page to open")),
                user, device, PlanSignIn.pollInterval(answer.field("interval")));
    }

    @Override
    public AuthStore.OAuth finishDevice(DeviceCode code, Pause pause) throws SignInException, InterruptedException {
        Instant until = clock.instant().plus(DEVICE_WAIT);
        Duration interval = code.interval();
        while (true) {
            PlanHttp.Answer answer = ChatGptSignIn.call(() -> http.postJson(endpoints.issuer("/login/oauth/access_token"),
                    Map.of("client_id", endpoints.clientId(), "device_code", code.deviceId(), "grant_type", DEVICE_GRANT)), "polling GitHub's device code");
            String token = answer.field("access_token");
            if (answer.ok() && !token.isEmpty()) return exchange(token);
            String error = answer.rateLimited() ? "slow_down" : answer.field("error");
            switch (error) {
                case "authorization_pending" -> { }
                // RFC 8628 §3.5: five seconds more from now on (GitHub may say how long)
                case "slow_down" -> interval = answer.field("interval").isEmpty() ? interval.plus(SLOW_DOWN) : PlanSignIn.pollInterval(answer.field("interval"));
                case "expired_token" -> throw new SignInException("the device code expired before it was entered; sign in again");
                case "access_denied" -> throw new SignInException("the sign-in was cancelled on GitHub");
                default -> throw new SignInException("GitHub's device sign-in failed: " + answer.describe());
            }
            if (clock.instant().isAfter(until)) throw new SignInException("the device code was not entered within " + DEVICE_WAIT.toMinutes() + " minutes");
            pause.sleep(interval);
        }
    }

    @Override
    public AuthStore.OAuth renew(AuthStore.OAuth current) throws SignInException, InterruptedException {
        return exchange(current.refresh());
    }

    @Override
    public Map<String, String> headers(AuthStore.OAuth credential, LlmRequest request) {
        Map<String, String> h = new LinkedHashMap<>();
        // who started this step, as OpenCode and the Copilot plugins say: the user's prompt counts as a premium request
        // of the plan; a step that carries the results of the model's own tool calls is the agent's and does not
        h.put("X-Initiator", typedByTheUser(request) ? "user" : "agent");
        // the Copilot API serves known editors; these are the values its chat plugins send (override in provider headers)
        h.put("Editor-Version", "vscode/1.99.3");
        h.put("Editor-Plugin-Version", "copilot-chat/0.26.7");
        h.put("Copilot-Integration-Id", "vscode-chat");
        h.put("Openai-Intent", "conversation-edits");
        h.put("User-Agent", PlanHttp.userAgent());
        return h;
    }

    /** Whether the request's last message is the user's own: a user message with no tool result in it. */
    static boolean typedByTheUser(LlmRequest request) {
        if (request.messages().isEmpty()) return true;
        LlmMessage last = request.messages().getLast();
        return last.role() == LlmMessage.Role.USER
                && last.content().stream().noneMatch(c -> c instanceof Content.ToolResult);
    }

    /** The GitHub token → a Copilot token, with its expiry and the plan's API endpoint. */
    private AuthStore.OAuth exchange(String githubToken) throws SignInException, InterruptedException {
        PlanHttp.Answer answer = ChatGptSignIn.call(() -> http.get(endpoints.api("/copilot_internal/v2/token"),
                Map.of("Authorization", "token " + githubToken, "User-Agent", PlanHttp.userAgent(), "Editor-Version", "vscode/1.99.3",
                        "Editor-Plugin-Version", "copilot-chat/0.26.7")), "getting a Copilot token");
        // a rate limit (GitHub's secondary limits answer 403) says nothing of the token: this request fails, the sign-in stays
        if (answer.rateLimited()) throw new SignInException("GitHub asks to slow down getting a Copilot token (" + answer.describe() + "); try again shortly");
        if (answer.status() == 401 || answer.status() == 403 || answer.status() == 404) {
            throw new SignInException.Refused("GitHub refused a Copilot token (" + answer.describe() + "); is Copilot enabled for this account?");
        }
        if (!answer.ok()) throw new SignInException("getting a Copilot token failed: " + answer.describe());
        String token = answer.field("token");
        if (token.isEmpty()) throw new SignInException("GitHub's Copilot token answer has no token");
        long expiresAt;
        try {
            expiresAt = answer.field("expires_at").isEmpty() ? clock.millis() / 1000 + 1500 : Long.parseLong(answer.field("expires_at").strip());
        } catch (NumberFormatException e) {
            throw new SignInException("GitHub's Copilot token answer has an expires_at that is not a time in seconds", e);
        }
        String api = answer.body().map(b -> b.path("endpoints").path("api")).filter(n -> n.isString()).map(n -> n.asString()).orElse("");
        Optional<String> endpoint = api.isBlank() ? Optional.empty() : Optional.of(webUrl(api)
                .orElseThrow(() -> new SignInException("GitHub's Copilot token answer names an API endpoint that is not an http(s) URL")).toString());
        return new AuthStore.OAuth(token, githubToken, expiresAt * 1000, Optional.empty(), endpoint);
    }

    /** {@code text} as an http(s) URL with a host; empty when it is not one (a vendor's answer is checked before use). */
    private static Optional<URI> webUrl(String text) {
        try {
            URI uri = new URI(text.strip());
            boolean web = uri.getScheme() != null && (uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"));
            return web && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }
}
