package dev.lathe.core.subscription;

import dev.lathe.core.auth.AuthStore;
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
        return new DeviceCode(URI.create(page), user, device, ChatGptSignIn.seconds(answer.field("interval"), 5));
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
            String error = answer.field("error");
            switch (error) {
                case "authorization_pending" -> { }
                // RFC 8628 §3.5: five seconds more from now on (GitHub may say how long)
                case "slow_down" -> interval = answer.field("interval").isEmpty() ? interval.plusSeconds(5) : ChatGptSignIn.seconds(answer.field("interval"), 10);
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
    public Map<String, String> headers(AuthStore.OAuth credential, Optional<String> session) {
        Map<String, String> h = new LinkedHashMap<>();
        // the Copilot API serves known editors; these are the values its chat plugins send (override in provider headers)
        h.put("Editor-Version", "vscode/1.99.3");
        h.put("Editor-Plugin-Version", "copilot-chat/0.26.7");
        h.put("Copilot-Integration-Id", "vscode-chat");
        h.put("Openai-Intent", "conversation-edits");
        h.put("User-Agent", PlanHttp.userAgent());
        return h;
    }

    /** The GitHub token → a Copilot token, with its expiry and the plan's API endpoint. */
    private AuthStore.OAuth exchange(String githubToken) throws SignInException, InterruptedException {
        PlanHttp.Answer answer = ChatGptSignIn.call(() -> http.get(endpoints.api("/copilot_internal/v2/token"),
                Map.of("Authorization", "token " + githubToken, "User-Agent", PlanHttp.userAgent(), "Editor-Version", "vscode/1.99.3",
                        "Editor-Plugin-Version", "copilot-chat/0.26.7")), "getting a Copilot token");
        if (answer.status() == 401 || answer.status() == 403 || answer.status() == 404) {
            throw new SignInException.Refused("GitHub refused a Copilot token (" + answer.describe() + "); is Copilot enabled for this account?");
        }
        if (!answer.ok()) throw new SignInException("getting a Copilot token failed: " + answer.describe());
        String token = answer.field("token");
        if (token.isEmpty()) throw new SignInException("GitHub's Copilot token answer has no token");
        long expiresAt = answer.field("expires_at").isEmpty() ? clock.millis() / 1000 + 1500 : Long.parseLong(answer.field("expires_at"));
        Optional<String> endpoint = answer.body().map(b -> b.path("endpoints").path("api")).filter(n -> n.isString() && !n.asString().isBlank())
                .map(n -> n.asString());
        return new AuthStore.OAuth(token, githubToken, expiresAt * 1000, Optional.empty(), endpoint);
    }
}
