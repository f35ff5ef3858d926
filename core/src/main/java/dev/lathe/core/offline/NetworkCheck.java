package dev.lathe.core.offline;

import dev.lathe.core.config.Config;
import dev.lathe.core.hooks.HookHandler;
import dev.lathe.core.model.KnownModels;
import dev.lathe.core.model.ModelException;
import dev.lathe.core.model.ModelResolver;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.network.BlockedConnections;
import dev.lathe.core.network.NetworkPolicy;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.network.Purpose;
import dev.lathe.core.sandbox.SandboxState;
import dev.lathe.core.subscription.Plan;
import dev.lathe.llm.Protocols;
import dev.lathe.mcp.McpServerSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * {@code lathe doctor}'s {@code network} line (decision 120): open, or local-only with what this folder's configuration
 * would have Lathe contact that the mode refuses (the catalog refresh, remote MCP servers, HTTP hooks, the providers
 * its models are on), what a server actually refused for it (the file the server keeps,
 * {@link BlockedConnections#read}), and whether bash's commands really run without network (only when sandboxed).
 */
final class NetworkCheck {
    private NetworkCheck() {}

    static Checkup.Check of(Config config, ProviderSources sources, SandboxState sandbox, Path project, Path blockedFile) {
        String name = "network";
        NetworkPolicy policy = NetworkPolicy.of(config);
        if (!policy.isLocal()) {
            return Checkup.Check.ok(name, "open: Lathe connects wherever its providers, tools and servers are (\"network\": \"local\" for local-only)");
        }
        var log = BlockedConnections.inMemory();
        var gate = new OutboundGate(policy, project.toString(), log);
        if (!"1".equals(sources.env().get("LATHE_DISABLE_MODELS_FETCH"))) {
            gate.allows(Purpose.catalog(), URI.create(sources.env().getOrDefault("LATHE_MODELS_URL", "https://models.dev/api.json")));
        }
        config.mcp().forEach((server, spec) -> {
            if (spec instanceof McpServerSpec.Remote r && r.activation() == McpServerSpec.Activation.ENABLED) gate.allows(Purpose.mcp(server), r.url());
        });
        config.hooks().forEach(h -> {
            if (h.handler() instanceof HookHandler.Http http) gate.allows(Purpose.hook(h.event().wire()), http.url());
        });
        var models = new LinkedHashSet<String>();
        config.model().ifPresent(models::add);
        config.smallModel().ifPresent(models::add);
        models.addAll(config.fallback());
        config.agents().values().forEach(a -> a.model().ifPresent(models::add));
        // a subscription signed in to is a provider too: its plan's backend is refused unless the config writes it
        for (Plan plan : Plan.values()) {
            if (sources.auth().oauth(plan.provider()).isEmpty()) continue;
            KnownModels.listed(config, sources, Optional.of(plan.provider())).stream().findFirst()
                    .ifPresent(listed -> models.add(listed.entry().ref()));
        }
        try (HttpClient unused = HttpClient.newBuilder().build()) {
            var resolver = new ModelResolver(config, Protocols.standard(unused), sources, gate);
            for (String ref : models) {
                try {
                    resolver.resolve(ref);
                } catch (ModelException | IllegalArgumentException e) {
                    // refused ones are in the log; any other problem is the model check's to report
                }
            }
        }
        List<String> wouldBe = log.all().stream().map(b -> b.by() + " → " + b.host()).toList();
        List<String> were = BlockedConnections.read(blockedFile).stream()
                .filter(b -> b.folder().isEmpty() || Path.of(b.folder()).equals(project))
                .map(b -> b.by() + " → " + b.host()).toList();
        var detail = new StringBuilder("local-only: only loopback and the providers whose baseUrl the config writes ("
                + (policy.namedProviders().isEmpty() ? "none" : String.join(", ", policy.namedProviders())) + ")");
        detail.append(wouldBe.isEmpty() ? "; nothing configured reaches further" : "; refused as configured: " + String.join(", ", wouldBe));
        if (!were.isEmpty()) detail.append("; refused by the server: ").append(String.join(", ", were));
        List<String> problems = new ArrayList<>();
        if (!(sandbox instanceof SandboxState.Sandboxed) && !(sandbox instanceof SandboxState.Refused)) {
            problems.add("bash's commands run unsandboxed here, so they are not kept off the network");
        }
        if (!problems.isEmpty()) {
            return Checkup.Check.warn(name, detail + "; " + String.join("; ", problems),
                    "make bubblewrap work and set \"sandbox\": \"on\", so commands get no network (or accept that they have it)");
        }
        return Checkup.Check.ok(name, detail.toString());
    }
}
