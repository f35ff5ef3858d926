package dev.lathe.core.subscription;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.network.Purpose;
import dev.lathe.llm.LlmRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * One plan's OAuth client: signing in (the ways the plan offers) and renewing the access token, and the headers its
 * backend wants beside the token.
 */
public sealed interface PlanSignIn permits ChatGptSignIn, CopilotSignIn {
    /** How long a device code may wait for the user (both servers give 15 minutes). */
    Duration DEVICE_WAIT = Duration.ofMinutes(15);
    /** The shortest wait between two polls of a device code, whatever the server says ("0" would poll without pause). */
    Duration MIN_POLL = Duration.ofSeconds(1);
    /** What RFC 8628 §3.2 says to wait when the server names no interval. */
    long DEFAULT_POLL_SECONDS = 5;
    /** How much longer to wait after the server asked to slow down (RFC 8628 §3.5). */
    Duration SLOW_DOWN = Duration.ofSeconds(5);

    /** The server's {@code interval} (seconds) as a wait between polls: at least {@link #MIN_POLL}. */
    static Duration pollInterval(String seconds) {
        Duration asked = ChatGptSignIn.seconds(seconds, DEFAULT_POLL_SECONDS);
        return asked.compareTo(MIN_POLL) < 0 ? MIN_POLL : asked;
    }

    /** Waits between two polls of a device code; tests pass one that returns at once. */
    @FunctionalInterface
    interface Pause {
        Pause SLEEP = d -> Thread.sleep(d);

        void sleep(Duration duration) throws InterruptedException;
    }

    Plan plan();

    /** Asks for a device code (the page and the code the user types there). */
    DeviceCode startDevice() throws SignInException, InterruptedException;

    /** Polls until the user has entered the code, then exchanges it for tokens. */
    AuthStore.OAuth finishDevice(DeviceCode code, Pause pause) throws SignInException, InterruptedException;

    /** A fresh access token for {@code current}; {@link SignInException.Refused} when the server refuses it for good. */
    AuthStore.OAuth renew(AuthStore.OAuth current) throws SignInException, InterruptedException;

    /** The backend's headers besides {@code Authorization}, for {@code request} (its cache key, who started the step). */
    Map<String, String> headers(AuthStore.OAuth credential, LlmRequest request);

    /**
     * The plan's client for {@code endpoints}, whose every exchange {@code gate} allows first (local-only mode: loopback,
     * or a server written in {@code provider.NAME.oauth}).
     */
    static PlanSignIn of(PlanEndpoints endpoints, OutboundGate gate, java.net.http.HttpClient client, Clock clock) {
        var http = new PlanHttp(client, gate, Purpose.signIn(endpoints.plan().provider()));
        return switch (endpoints.plan()) {
            case CHATGPT -> new ChatGptSignIn(endpoints, http, clock);
            case COPILOT -> new CopilotSignIn(endpoints, http, clock);
        };
    }

    static PlanSignIn of(PlanEndpoints endpoints, OutboundGate gate) { return of(endpoints, gate, PlanHttp.SHARED, Clock.systemUTC()); }

    /** Under no network policy (tests, and callers outside any project). */
    static PlanSignIn of(PlanEndpoints endpoints) { return of(endpoints, OutboundGate.OPEN); }
}
