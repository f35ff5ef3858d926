package dev.lathe.core.subscription;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.network.OutboundGate;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.BiFunction;

/**
 * Subscription sign-ins the running server performs for a client ({@code POST /auth/{provider}/sign-in}, the terminal
 * UI's {@code /connect}), as {@code McpSignIns} does for MCP servers: the flow runs on its own thread, {@link #start}
 * answers as soon as there is something to show (the authorization URL, or the device page and code), and the flow
 * goes on until the user finishes (the browser's redirect reaching this machine's loopback listener, or the device
 * code entered). The tokens are saved in the auth store; how it ended goes to {@code finished}. A second sign-in to
 * the same provider replaces the first, which then ends without a word ({@code finished} hears only the second).
 */
public final class PlanSignIns implements AutoCloseable {
    /** What the user must do: open {@code url}, and type {@code userCode} there for a device code. */
    public record Started(Plan plan, URI url, Optional<String> userCode) {}

    /** How a sign-in ended: {@code error} is empty when it succeeded. */
    public record Finished(String provider, Optional<String> error) {}

    static final Duration PROMPT_WAIT = Duration.ofSeconds(60);
    /** How long a new sign-in waits for the one of the same provider it replaces to let go of its redirect port. */
    private static final Duration REPLACED_WAIT = Duration.ofSeconds(5);

    private final AuthStore store;
    private final BiFunction<PlanEndpoints, OutboundGate, PlanSignIn> clients;
    private final PlanSignIn.Pause pause;
    private final Duration browserTimeout;
    private final Consumer<Finished> finished;
    private final Map<String, Thread> running = new ConcurrentHashMap<>();

    public PlanSignIns(AuthStore store, BiFunction<PlanEndpoints, OutboundGate, PlanSignIn> clients, PlanSignIn.Pause pause, Duration browserTimeout,
            Consumer<Finished> finished) {
        this.store = store;
        this.clients = clients;
        this.pause = pause;
        this.browserTimeout = browserTimeout;
        this.finished = finished;
    }

    /** The production set-up: real HTTP, real waits, five minutes for the browser. */
    public static PlanSignIns standard(AuthStore store, Consumer<Finished> finished) {
        return new PlanSignIns(store, PlanSignIn::of, PlanSignIn.Pause.SLEEP, Duration.ofMinutes(5), finished);
    }

    /**
     * Starts signing in with {@code endpoints}' plan: a device code when {@code device} or when the plan has no other
     * way (Copilot), else the browser flow. {@code gate}: the network policy of the project whose configuration gave
     * {@code endpoints}; in local-only mode a sign-in whose servers it refuses does not start.
     *
     * @throws SignInException.Blocked when local-only mode refuses a server the sign-in needs (nothing was sent)
     * @throws SignInException when it failed before there was anything to show, or nothing came within a minute
     */
    public Started start(PlanEndpoints endpoints, OutboundGate gate, boolean device) throws SignInException, InterruptedException {
        Optional<String> refused = endpoints.refusal(gate);
        if (refused.isPresent()) throw new SignInException.Blocked(refused.get());
        PlanSignIn client = clients.apply(endpoints, gate);
        String provider = endpoints.plan().provider();
        var prompt = new CompletableFuture<Started>();
        Thread flow = Thread.ofVirtual().name("lathe-sign-in-" + provider).unstarted(() -> {
            Optional<String> error;
            SignInException failure = null;
            boolean replaced;
            try {
                AuthStore.OAuth signedIn;
                if (client instanceof ChatGptSignIn chatGpt && !device) {
                    signedIn = chatGpt.browser(url -> prompt.complete(new Started(endpoints.plan(), url, Optional.empty())), browserTimeout);
                } else {
                    DeviceCode code = client.startDevice();
                    prompt.complete(new Started(endpoints.plan(), code.verificationUrl(), Optional.of(code.userCode())));
                    signedIn = client.finishDevice(code, pause);
                }
                store.save(provider, signedIn);
                error = Optional.empty();
            } catch (SignInException e) {
                error = Optional.of(e.getMessage());
                failure = e;
            } catch (InterruptedException e) {
                error = Optional.of("Lathe is stopping");
            } catch (RuntimeException e) {
                error = Optional.of(String.valueOf(e.getMessage()));
            } finally {
                replaced = !running.remove(provider, Thread.currentThread());
            }
            // before anything was shown the caller of start reports the failure; after it, only the event can
            if (error.isPresent() && prompt.completeExceptionally(failure != null ? failure : new SignInException(error.get()))) return;
            // a replaced sign-in's end is no news: the clients wait for the newer one of the same provider, and would take
            // this event (published before the newer one even answers its start) for the end of that one
            if (replaced && error.isPresent()) return;
            finished.accept(new Finished(provider, error));
        });
        Thread previous = running.put(provider, flow);
        if (previous != null) {
            // the newer sign-in replaces it; its loopback listener must be closed before this one takes the same port
            previous.interrupt();
            previous.join(REPLACED_WAIT);
        }
        flow.start();
        try {
            return prompt.get(PROMPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SignInException s ? s : new SignInException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            flow.interrupt();
            throw new SignInException("the " + endpoints.plan().label() + " sign-in showed nothing to open within " + PROMPT_WAIT.toSeconds() + " s");
        }
    }

    /** Ends every sign-in still waiting for its user. */
    @Override
    public void close() {
        List<Thread> waiting = List.copyOf(running.values());
        waiting.forEach(Thread::interrupt);
        // their loopback listeners are closed when they end: a server that stopped leaves the redirect port free
        for (Thread flow : waiting) {
            try {
                flow.join(REPLACED_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
