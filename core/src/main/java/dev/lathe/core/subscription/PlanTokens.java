package dev.lathe.core.subscription;

import dev.lathe.core.auth.AuthStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The access token of a signed-in plan, valid for at least {@link #MARGIN} more when handed out: read from the auth
 * store at each request (a sign-in in another process is seen at once), and renewed when it is not. A renewal is
 * single-flight: it runs under the auth file's locks ({@link AuthStore#whileLocked}: every session of the server, and
 * a {@code lathe run} next to it), and the entry is read again once they are held, so
 * whoever waited uses the token the first one got instead of spending the refresh token twice (OpenAI's rotate:
 * a second use is refused). A refusal ({@code invalid_grant}, a revoked GitHub token) removes the entry (unless a new
 * sign-in replaced it meanwhile): the user must sign in again, and the message says how.
 */
public final class PlanTokens {
    /** Renew when the token expires sooner than this: a long step must not outlive its token. */
    public static final Duration MARGIN = Duration.ofMinutes(5);

    private final AuthStore store;
    private final PlanSignIn signIn;
    private final Clock clock;

    public PlanTokens(AuthStore store, PlanSignIn signIn, Clock clock) {
        this.store = store;
        this.signIn = signIn;
        this.clock = clock;
    }

    public PlanTokens(AuthStore store, PlanSignIn signIn) { this(store, signIn, Clock.systemUTC()); }

    public PlanSignIn signIn() { return signIn; }

    /**
     * The current credential of the plan's provider, renewed first when it expires within {@link #MARGIN}.
     *
     * @throws SignInException.Refused when there is none or it can no longer be renewed (the entry is then removed)
     * @throws SignInException when the renewal failed otherwise (the server unreachable): the entry stays
     */
    public AuthStore.OAuth fresh() throws SignInException, InterruptedException {
        AuthStore.OAuth now = current(signIn.plan().provider());
        return valid(now) ? now : renewed(now);
    }

    /**
     * The backend refused {@code used} (401 or 403). Whether the sign-in itself is gone is asked of its authorization
     * server, once: the token is renewed. Refused there too, the entry is removed and {@link SignInException.Refused}
     * says to sign in again; renewed, the sign-in stands (a 403 may be the plan's policy for one model) and the new
     * token is returned. Never loops: the request that was refused is not repeated.
     */
    public AuthStore.OAuth afterRefusal(AuthStore.OAuth used) throws SignInException, InterruptedException {
        return renewed(used);
    }

    /** Renews {@code seen} under the auth file's locks, unless the stored entry is no longer {@code seen} (renewed meanwhile). */
    private AuthStore.OAuth renewed(AuthStore.OAuth seen) throws SignInException, InterruptedException {
        String provider = signIn.plan().provider();
        return store.<AuthStore.OAuth, SignInException>whileLocked(() -> {
            AuthStore.OAuth latest = current(provider);
            // another session or process renewed (or signed in again) meanwhile: use what it got
            if (!latest.access().equals(seen.access()) && valid(latest)) return latest;
            AuthStore.OAuth renewed;
            try {
                renewed = signIn.renew(latest);
            } catch (SignInException.Refused e) {
                forget(provider, latest);
                throw new SignInException.Refused(e.getMessage() + ": run `" + signIn.plan().loginCommand() + "` to sign in again");
            }
            // the locks keep a logout or a new sign-in out until now; a writer that takes none (an older Lathe) may still
            // have come in between: a removed sign-in is not brought back, a replaced one not overwritten
            Optional<AuthStore.OAuth> stored = store.oauth(provider);
            if (stored.isEmpty()) throw new SignInException.Refused("signed out of " + signIn.plan().label() + " meanwhile: run `"
                    + signIn.plan().loginCommand() + "` to sign in again");
            if (!stored.get().refresh().equals(latest.refresh())) return stored.get();
            store.save(provider, renewed);
            return renewed;
        });
    }

    private void forget(String provider, AuthStore.OAuth used) {
        Optional<AuthStore.OAuth> stored = store.oauth(provider);
        if (stored.isPresent() && stored.get().refresh().equals(used.refresh())) store.remove(provider);
    }

    private AuthStore.OAuth current(String provider) throws SignInException.Refused {
        return store.oauth(provider).orElseThrow(() -> new SignInException.Refused("not signed in to " + signIn.plan().label()
                + ": run `" + signIn.plan().loginCommand() + "`"));
    }

    private boolean valid(AuthStore.OAuth credential) {
        return !credential.access().isEmpty() && credential.expires() - clock.millis() > MARGIN.toMillis();
    }
}
