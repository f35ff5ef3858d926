package dev.lathe.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lathe.protocol.session.Quota;
import dev.lathe.protocol.session.Usage;
import java.util.List;
import java.util.Optional;

/**
 * Answer of {@code GET /stats?directory=}: what the sessions of one project folder spent. {@code sessions} counts every
 * session of the folder (subagents' and archived ones included); {@code usage} and {@code cost} (micro-dollars) are
 * their recorded totals, turns a revert dropped included; {@code requests} counts the steps still stored.
 * {@code cacheHitRatio} is {@code cacheRead / (input + cacheRead + cacheWrite)}. {@code models} splits the stored
 * assistant messages by the model each started with, most expensive first. {@code quota}: the latest rate-limit window
 * of each name the folder's responses reported (DESIGN §18 "Cost"), absent when none did. {@code cacheLifecycle}: what
 * Lathe does with the first model's prompt cache across a pause of a watched session at the folder's average prompt per
 * request (DESIGN §28, decision 504); absent when nothing is priced. {@code autoApproval}: how much of the totals was
 * auto-approval's classifier (DESIGN §31), from the folder's audit entries; absent when it decided nothing there.
 */
public record ProjectStats(String directory, int sessions, int messages, int requests, Usage usage, long cost, double cacheHitRatio,
        List<ModelStats> models, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Quota> quota, Optional<CacheReport.Lifecycle> cacheLifecycle,
        Optional<AutoApproval> autoApproval) {
    public ProjectStats {
        models = List.copyOf(models);
        quota = quota == null ? List.of() : List.copyOf(quota);
        cacheLifecycle = cacheLifecycle == null ? Optional.empty() : cacheLifecycle;
        autoApproval = autoApproval == null ? Optional.empty() : autoApproval;
    }

    public ProjectStats(String directory, int sessions, int messages, int requests, Usage usage, long cost, double cacheHitRatio,
            List<ModelStats> models, List<Quota> quota, Optional<CacheReport.Lifecycle> cacheLifecycle) {
        this(directory, sessions, messages, requests, usage, cost, cacheHitRatio, models, quota, cacheLifecycle, Optional.empty());
    }

    /**
     * Auto-approval's classifier in a folder (DESIGN §31): its {@code decisions}, their {@code tokens} (input + output) and
     * {@code cost} in micro-dollars, already inside the folder's totals (the sessions' usage counts them).
     */
    public record AutoApproval(long decisions, long tokens, long cost) {}

    /** These stats with the classifier's share, or as they are when it decided nothing. */
    public ProjectStats with(AutoApproval auto) {
        if (auto.decisions() == 0) return this;
        return new ProjectStats(directory, sessions, messages, requests, usage, cost, cacheHitRatio, models, quota, cacheLifecycle, Optional.of(auto));
    }

    public ProjectStats(String directory, int sessions, int messages, int requests, Usage usage, long cost, double cacheHitRatio,
            List<ModelStats> models) {
        this(directory, sessions, messages, requests, usage, cost, cacheHitRatio, models, List.of(), Optional.empty());
    }

    public ProjectStats(String directory, int sessions, int messages, int requests, Usage usage, long cost, double cacheHitRatio,
            List<ModelStats> models, List<Quota> quota) {
        this(directory, sessions, messages, requests, usage, cost, cacheHitRatio, models, quota, Optional.empty());
    }

    /** These stats with {@code lifecycle}. */
    public ProjectStats with(CacheReport.Lifecycle lifecycle) {
        return new ProjectStats(directory, sessions, messages, requests, usage, cost, cacheHitRatio, models, quota, Optional.of(lifecycle), autoApproval);
    }

    /**
     * One model's share: its assistant messages, their tokens and cost. {@code notBilled}: the model has a price but its
     * tokens cost nothing here, as when they came with {@code lathe import} from another harness, which billed them (issue
     * 71): not a free model, nor one whose price is unknown.
     */
    public record ModelStats(String model, int messages, Usage usage, long cost, double cacheHitRatio,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean notBilled) {
        public ModelStats(String model, int messages, Usage usage, long cost, double cacheHitRatio) {
            this(model, messages, usage, cost, cacheHitRatio, false);
        }

        /** This share marked as tokens Lathe did not bill. */
        public ModelStats unbilled() { return new ModelStats(model, messages, usage, cost, cacheHitRatio, true); }
    }

    /** Whether some of these tokens were not billed by Lathe ({@link ModelStats#notBilled}). */
    public boolean partlyNotBilled() { return models.stream().anyMatch(ModelStats::notBilled); }

    /** These stats with {@code models} in place of theirs. */
    public ProjectStats withModels(List<ModelStats> models) {
        return new ProjectStats(directory, sessions, messages, requests, usage, cost, cacheHitRatio, models, quota, cacheLifecycle, autoApproval);
    }
}
