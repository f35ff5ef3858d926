package dev.lathe.core.offline;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.network.BlockedConnections;
import dev.lathe.core.network.NetworkPolicy;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.subscription.ChatGptSignIn;
import dev.lathe.core.subscription.DeviceCode;
import dev.lathe.core.subscription.Plan;
import dev.lathe.core.subscription.PlanEndpoints;
import dev.lathe.core.subscription.PlanSignIn;
import dev.lathe.core.subscription.SignInException;
import dev.lathe.mcp.oauth.SystemBrowser;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lathe auth login openai|github-copilot} with a subscription, without a server: the plan's sign-in (the
 * browser, or a device code), its tokens saved in the auth store (0600) where a running server reads them at its next
 * request. The {@code oauth} overrides of {@code directory}'s configuration apply (a test's fake servers, a proxy), and so
 * does its local-only mode: then only loopback servers and those written in {@code provider.NAME.oauth} are contacted.
 */
public final class PlanSignInCommand {
    private PlanSignInCommand() {}

    /** The plan {@code provider} can sign in to, for people ({@code ChatGPT Plus/Pro}); empty: API keys only. */
    public static Optional<String> plan(String provider) { return Plan.forProvider(provider).map(Plan::label); }

    /**
     * Signs in to {@code provider}'s plan: through the browser (ChatGPT only; the URL printed to {@code prompts} too), or
     * with a device code when {@code device} (always for Copilot, whose sign-in is GitHub's device flow).
     *
     * @throws OfflineFailure naming what failed
     */
    public static void signIn(Map<String, String> env, Path directory, String provider, boolean device, PrintStream prompts) {
        Plan plan = Plan.forProvider(provider).orElseThrow(() -> new OfflineFailure("'" + provider + "' has no subscription sign-in; save an API key"));
        LathePaths paths = LathePaths.fromEnvironment(env);
        Config config = config(paths, env, directory);
        // local-only mode (the folder's config, LATHE_NETWORK): its servers must be loopback or written in provider.NAME.oauth;
        // a refusal is told here, not recorded for `lathe doctor`, whose file is the server's
        var gate = new OutboundGate(NetworkPolicy.of(config), directory.toString(), BlockedConnections.inMemory());
        PlanEndpoints endpoints = PlanEndpoints.of(plan, config);
        endpoints.refusal(gate).ifPresent(refused -> {
            throw new OfflineFailure("could not sign in to " + plan.label() + ": " + refused);
        });
        PlanSignIn signIn = PlanSignIn.of(endpoints, gate);
        try {
            AuthStore.OAuth signedIn;
            if (signIn instanceof ChatGptSignIn chatGpt && !device) {
                signedIn = chatGpt.browser(new SystemBrowser(prompts), Duration.ofMinutes(5));
            } else {
                DeviceCode code = signIn.startDevice();
                prompts.println("Open " + code.verificationUrl() + " and enter the code " + code.userCode() + " (it expires in 15 minutes).");
                prompts.flush();
                signedIn = signIn.finishDevice(code, PlanSignIn.Pause.SLEEP);
            }
            new AuthStore(paths.authFile()).save(provider, signedIn);
        } catch (SignInException e) {
            throw new OfflineFailure("could not sign in to " + plan.label() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OfflineFailure("the sign-in to " + plan.label() + " was interrupted");
        }
    }

    private static Config config(LathePaths paths, Map<String, String> env, Path directory) {
        try {
            Path folder = ProjectRoot.normalise(directory.toAbsolutePath().toString());
            ConfigLoader loader = ConfigLoader.standard(paths, env);
            return loader.load(ProjectRoot.repoRoot(folder), loader.trustOf(folder));
        } catch (ConfigException e) {
            throw new OfflineFailure(e.getMessage());
        }
    }
}
