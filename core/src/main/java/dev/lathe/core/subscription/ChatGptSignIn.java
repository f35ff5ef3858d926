package dev.lathe.core.subscription;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.llm.LlmRequest;
import dev.lathe.mcp.oauth.Browser;
import dev.lathe.mcp.oauth.LoopbackRedirect;
import dev.lathe.mcp.oauth.OAuthException;
import dev.lathe.mcp.oauth.Pkce;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * ChatGPT Plus/Pro, as OpenAI's Codex CLI signs in (decision 121 has the sources): the authorization code flow with
 * PKCE S256 through a redirect to {@code http://localhost:1455/auth/callback} (the one the public client is registered
 * with), or OpenAI's device code ({@code /api/accounts/deviceauth/*}, whose answer carries the code and its verifier);
 * either way the code is exchanged at {@code /oauth/token}, and the id token's claims name the ChatGPT account the
 * backend wants in {@code chatgpt-account-id}.
 */
public final class ChatGptSignIn implements PlanSignIn {
    static final String SCOPE = "openid profile email offline_access";
    static final String CALLBACK_PATH = "/auth/callback";
    /** Sent as {@code originator}, as OpenCode and pi send their own names: which client is calling. */
    static final String ORIGINATOR = "lathe";

    private final PlanEndpoints endpoints;
    private final PlanHttp http;
    private final Clock clock;

    ChatGptSignIn(PlanEndpoints endpoints, PlanHttp http, Clock clock) {
        this.endpoints = endpoints;
        this.http = http;
        this.clock = clock;
    }

    @Override public Plan plan() { return Plan.CHATGPT; }

    /**
     * Signs in through the browser: listens on 127.0.0.1 for the redirect, shows the authorization URL, waits for the
     * redirect (at most {@code timeout}) and exchanges its code with the PKCE verifier.
     */
    public AuthStore.OAuth browser(Browser browser, Duration timeout) throws SignInException, InterruptedException {
        String state = Pkce.randomUrlSafe(24);
        Pkce pkce = Pkce.generate();
        try (var redirect = LoopbackRedirect.on(state, "localhost", endpoints.redirectPort(), CALLBACK_PATH)) {
            browser.open(authorizationUrl(redirect.redirectUri(), state, pkce.challenge()));
            LoopbackRedirect.Callback callback = redirect.await(timeout);
            return exchange(callback.code(), redirect.redirectUri(), pkce.verifier());
        } catch (IOException e) {
            throw new SignInException.PortBusy("cannot listen on 127.0.0.1:" + endpoints.redirectPort() + " for the browser's redirect (" + e.getMessage()
                    + "); is another sign-in (Lathe's or Codex's) waiting on it? Or sign in with --device", e);
        } catch (OAuthException e) {
            throw new SignInException("the ChatGPT sign-in failed: " + e.getMessage(), e);
        }
    }

    URI authorizationUrl(URI redirect, String state, String challenge) {
        var q = new LinkedHashMap<String, String>();
        q.put("response_type", "code");
        q.put("client_id", endpoints.clientId());
        q.put("redirect_uri", redirect.toString());
        q.put("scope", SCOPE);
        q.put("code_challenge", challenge);
        q.put("code_challenge_method", "S256");
        // as the Codex CLI asks: the organizations in the id token (the account id is among them), the short consent flow
        q.put("id_token_add_organizations", "true");
        q.put("codex_cli_simplified_flow", "true");
        q.put("state", state);
        q.put("originator", ORIGINATOR);
        return URI.create(endpoints.issuer("/oauth/authorize") + "?" + PlanHttp.form(q));
    }

    @Override
    public DeviceCode startDevice() throws SignInException, InterruptedException {
        PlanHttp.Answer answer = call(() -> http.postJson(endpoints.issuer("/api/accounts/deviceauth/usercode"),
                Map.of("client_id", endpoints.clientId())), "asking for a device code");
        if (answer.status() == 404) throw new SignInException("this OpenAI server does not offer device codes; sign in through the browser");
        if (!answer.ok()) throw new SignInException("asking for a device code failed: " + answer.describe());
        String id = answer.field("device_auth_id");
        String code = answer.field("user_code").isEmpty() ? answer.field("usercode") : answer.field("user_code");
        if (id.isEmpty() || code.isEmpty()) throw new SignInException("the device code answer has no device_auth_id or user_code");
        return new DeviceCode(endpoints.issuer("/codex/device"), code, id, PlanSignIn.pollInterval(answer.field("interval")));
    }

    @Override
    public AuthStore.OAuth finishDevice(DeviceCode code, Pause pause) throws SignInException, InterruptedException {
        Instant until = clock.instant().plus(DEVICE_WAIT);
        Duration interval = code.interval();
        while (true) {
            PlanHttp.Answer answer = call(() -> http.postJson(endpoints.issuer("/api/accounts/deviceauth/token"),
                    Map.of("device_auth_id", code.deviceId(), "user_code", code.userCode())), "polling the device code");
            if (answer.ok()) {
                String authorization = answer.field("authorization_code");
                String verifier = answer.field("code_verifier");
                if (authorization.isEmpty() || verifier.isEmpty()) throw new SignInException("the device code answer has no authorization_code or code_verifier");
                return exchange(authorization, endpoints.issuer("/deviceauth/callback"), verifier);
            }
            if (answer.rateLimited() || answer.error().equals("slow_down")) {
                interval = interval.plus(SLOW_DOWN); // polled too often: the code is still good, ask less often (RFC 8628 §3.5)
            } else if (answer.status() != 403 && answer.status() != 404) {
                // 403 and 404: the user has not entered the code yet; anything else ends it
                throw new SignInException("the device sign-in failed: " + answer.describe());
            }
            if (clock.instant().isAfter(until)) throw new SignInException("the device code was not entered within " + DEVICE_WAIT.toMinutes() + " minutes");
            pause.sleep(interval);
        }
    }

    @Override
    public AuthStore.OAuth renew(AuthStore.OAuth current) throws SignInException, InterruptedException {
        var form = new LinkedHashMap<String, String>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", current.refresh());
        form.put("client_id", endpoints.clientId());
        PlanHttp.Answer answer = call(() -> http.postForm(endpoints.issuer("/oauth/token"), form), "renewing the ChatGPT token");
        // only these say the refresh token is dead (revoked, expired, already used: RFC 6749 §5.2's invalid_grant, and
        // the 401 the Codex CLI takes as final too); any other answer (a 400 of a bad request, 429, 5xx) fails this
        // request and keeps the sign-in, which a later renewal may still use
        if (answer.status() == 401 || (answer.status() / 100 == 4 && answer.error().equals("invalid_grant"))) {
            throw new SignInException.Refused("the ChatGPT sign-in was refused (" + answer.describe() + ")");
        }
        if (!answer.ok()) throw new SignInException("renewing the ChatGPT token failed: " + answer.describe());
        return tokens(answer, Optional.of(current.refresh()), current.accountId());
    }

    @Override
    public Map<String, String> headers(AuthStore.OAuth credential, LlmRequest request) {
        Map<String, String> h = new LinkedHashMap<>();
        credential.accountId().ifPresent(a -> h.put("chatgpt-account-id", a));
        h.put("OpenAI-Beta", "responses=experimental");
        h.put("originator", ORIGINATOR);
        h.put("User-Agent", PlanHttp.userAgent());
        // lets the backend keep this conversation's prompt cache together, as the Codex CLI's session does
        request.cacheKey().ifPresent(s -> h.put("session_id", s));
        return h;
    }

    private AuthStore.OAuth exchange(String code, URI redirect, String verifier) throws SignInException, InterruptedException {
        var form = new LinkedHashMap<String, String>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirect.toString());
        form.put("client_id", endpoints.clientId());
        form.put("code_verifier", verifier);
        PlanHttp.Answer answer = call(() -> http.postForm(endpoints.issuer("/oauth/token"), form), "exchanging the code");
        if (!answer.ok()) throw new SignInException("the token endpoint refused the code: " + answer.describe());
        return tokens(answer, Optional.empty(), Optional.empty());
    }

    private AuthStore.OAuth tokens(PlanHttp.Answer answer, Optional<String> previousRefresh, Optional<String> previousAccount) throws SignInException {
        String access = answer.field("access_token");
        if (access.isEmpty()) throw new SignInException("the token endpoint answered no access_token");
        String refresh = answer.field("refresh_token").isEmpty() ? previousRefresh.orElse("") : answer.field("refresh_token");
        if (refresh.isEmpty()) throw new SignInException("the token endpoint answered no refresh_token");
        long lifetime = seconds(answer.field("expires_in"), 3600).toSeconds();
        Optional<String> account = IdTokenClaims.accountId(answer.field("id_token"), access).or(() -> previousAccount);
        return new AuthStore.OAuth(access, refresh, clock.millis() + lifetime * 1000, account, Optional.empty());
    }

    static Duration seconds(String text, long fallback) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(text.strip())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(fallback);
        }
    }

    interface Call {
        PlanHttp.Answer run() throws IOException, InterruptedException;
    }

    static PlanHttp.Answer call(Call call, String step) throws SignInException, InterruptedException {
        try {
            return call.run();
        } catch (PlanHttp.Blocked e) {
            throw new SignInException.Blocked(step + " failed: " + e.getMessage());
        } catch (IOException e) {
            throw new SignInException(step + " failed: " + e.getMessage(), e);
        }
    }
}
