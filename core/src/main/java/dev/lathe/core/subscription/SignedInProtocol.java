package dev.lathe.core.subscription;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.network.Purpose;
import dev.lathe.llm.ApiKey;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.LlmSink;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Provider;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A wire protocol spoken with a plan's sign-in: at each request (never earlier: the token expires) it takes a fresh
 * token from {@link PlanTokens} and sends it as the bearer key with the plan's headers (config's {@code headers} win
 * over them). A backend that answers 401/403 fails the request once with {@link LlmError.Unauthorized} — no retry, no
 * loop — and the sign-in is checked by renewing it ({@link PlanTokens#afterRefusal}): refused there too (revoked), the
 * entry is removed and the message says to run {@code lathe auth login PROVIDER}. The token lives only in the request:
 * the {@code Provider} a session holds carries none, so it never reaches a log, an event, the store or a child
 * process's environment.
 */
public final class SignedInProtocol implements Protocol {
    private final Protocol wire;
    private final PlanTokens tokens;
    private final boolean baseUrlConfigured;
    private final OutboundGate gate;

    /**
     * @param baseUrlConfigured whether config set the provider's {@code baseUrl} (else the plan's own endpoint may replace it)
     * @param gate the project's network policy, asked again for the endpoint a Copilot token names at request time
     */
    public SignedInProtocol(Protocol wire, PlanTokens tokens, boolean baseUrlConfigured, OutboundGate gate) {
        this.wire = wire;
        this.tokens = tokens;
        this.baseUrlConfigured = baseUrlConfigured;
        this.gate = gate;
    }

    @Override public String id() { return wire.id(); }

    public Plan plan() { return tokens.signIn().plan(); }

    @Override
    public LlmEvent.Finished stream(Provider provider, LlmRequest request, LlmSink sink, Cancellation cancel) {
        Plan plan = plan();
        AuthStore.OAuth credential;
        try {
            credential = tokens.fresh();
        } catch (SignInException.Refused e) {
            return LlmEvent.Finished.failed(new LlmError.Unauthorized(provider.id() + ": " + e.getMessage()));
        } catch (SignInException.Blocked e) {
            // local-only mode refused the renewal: the same answer at every attempt, so none is retried
            return LlmEvent.Finished.failed(LlmError.Unreachable.blockedBy(provider.id() + ": " + e.getMessage()));
        } catch (SignInException e) {
            return LlmEvent.Finished.failed(new LlmError.Unreachable(provider.id() + ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return LlmEvent.Finished.failed(new LlmError.Transport("cancelled while renewing the " + plan.label() + " sign-in"));
        }
        Map<String, String> headers = new LinkedHashMap<>(tokens.signIn().headers(credential, request));
        headers.putAll(provider.headers());
        URI base = !baseUrlConfigured && credential.endpoint().isPresent() ? URI.create(credential.endpoint().get()) : provider.baseUrl();
        // the endpoint a token names was not there when the model was resolved: local-only mode is asked about it now
        var purpose = Purpose.provider(provider.id());
        if (!gate.allows(purpose, base)) return LlmEvent.Finished.failed(LlmError.Unreachable.blockedBy(gate.refusal(purpose, base)));
        var signed = new Provider(provider.id(), provider.protocol(), base,
                java.util.Optional.of(new ApiKey(credential.access(), "the " + plan.label() + " sign-in (" + plan.loginCommand() + ")")), headers,
                provider.models());
        LlmEvent.Finished finished = wire.stream(signed, request, sink, cancel);
        if (finished.error().orElse(null) instanceof LlmError.Unauthorized refused) return afterRefusal(provider, credential, refused);
        return finished;
    }

    /** The request stays failed; what the user reads depends on whether the sign-in itself survived (no retry either way). */
    private LlmEvent.Finished afterRefusal(Provider provider, AuthStore.OAuth used, LlmError.Unauthorized refused) {
        Plan plan = plan();
        try {
            tokens.afterRefusal(used);
            return LlmEvent.Finished.failed(new LlmError.Unauthorized(refused.message() + " (the " + plan.label()
                    + " sign-in is still valid: its token was renewed; the plan may not allow this request or model)"));
        } catch (SignInException.Refused e) {
            return LlmEvent.Finished.failed(new LlmError.Unauthorized(provider.id() + " refused the " + plan.label() + " sign-in ("
                    + refused.message() + "); " + e.getMessage()));
        } catch (SignInException e) {
            return LlmEvent.Finished.failed(new LlmError.Unauthorized(refused.message() + " (checking the " + plan.label() + " sign-in failed: "
                    + e.getMessage() + ")"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return LlmEvent.Finished.failed(refused);
        }
    }
}
