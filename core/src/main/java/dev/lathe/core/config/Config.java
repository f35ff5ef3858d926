package dev.lathe.core.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The merged configuration. {@code model}, {@code smallModel} and the {@code fallback} models (tried in order when
 * the model keeps failing) are {@code provider/model}; provider keys are
 * already resolved from {@code {env:…}} / {@code {file:…}} and never logged.
 */
public record Config(
        Optional<String> model,
        Optional<String> smallModel,
        List<String> fallback,
        Map<String, ProviderConfig> providers,
        List<PermissionRuleConfig> permission,
        List<String> instructions,
        RetryConfig retry,
        Optional<Integer> serverPort,
        int idleTimeoutMinutes,
        Map<String, Integer> agentSteps,
        List<String> sources,
        Map<String, List<PermissionRuleConfig>> agentPermission,
        List<PermissionRuleConfig> managedPermission) {

    /** One provider from config: any field may be absent (a later issue fills gaps from the models.dev catalog). */
    public record ProviderConfig(String id, Optional<String> protocol, Optional<String> baseUrl, Optional<String> apiKey,
            Map<String, String> headers, Map<String, ModelConfig> models) {
        @Override public String toString() {
            return "ProviderConfig[id=" + id + ", protocol=" + protocol + ", baseUrl=" + baseUrl + ", apiKey="
                    + (apiKey.isPresent() ? "<set>" : "<none>") + ", models=" + models.keySet() + "]";
        }
    }

    /** {@code context} and {@code output} are 0 when not configured: the catalog's limits apply. */
    public record ModelConfig(String id, int context, int output, java.util.Optional<dev.lathe.llm.ReasoningEffort> reasoningEffort) {}

    /** {@code permission.<permission>.<pattern> = action}; {@code "*"} as permission is the fallback for every tool. */
    public record PermissionRuleConfig(String permission, String pattern, String action) {}

    public record RetryConfig(int maxAttempts, int maxTotalWaitSeconds, int streamIdleTimeoutSeconds) {}
}
