package dev.lathe.core.offline;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.agent.AgentLoader;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.trust.Withheld;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code lathe permissions}' configured rules: every permission rule a project's files write (Lathe's layers, Claude
 * Code's and OpenCode's files, agent files), each with the file that wrote it last, and the {@code allow} rules an
 * untrusted folder's files write that wait for {@code lathe trust} (DESIGN §24 "Restrictive rules need no trust"). Read
 * from the same {@link Config} and agents a session gets, so the listing cannot differ from what applies; the built-in
 * defaults and built-in agents' rules are left out.
 */
public final class ConfiguredRules {
    /** One rule: {@code agent} empty for the top-level {@code permission}; {@code withheld} until the folder is trusted. */
    public record Row(String agent, String permission, String pattern, String action, String source, State state) {}

    /** Whether a rule applies now, or waits for {@code lathe trust}. */
    public enum State { APPLIED, WITHHELD }

    private ConfiguredRules() {}

    /**
     * The rules of {@code project}: the managed policy's, the merged top-level ones, the agents', then the withheld.
     *
     * @throws OfflineFailure when the config does not load
     */
    public static List<Row> of(Map<String, String> env, Path project, Consumer<String> warnings) {
        var paths = LathePaths.fromEnvironment(env);
        Path root = ProjectRoot.repoRoot(project);
        Config config;
        try {
            config = ConfigLoader.standard(paths, env).load(root);
        } catch (ConfigException e) {
            throw new OfflineFailure(e.getMessage());
        }
        List<Row> rows = new ArrayList<>();
        for (Config.PermissionRuleConfig r : config.managedPermission()) rows.add(row("", r));
        for (Config.PermissionRuleConfig r : config.permission()) {
            if (r.origin().layer() != Config.Layer.DEFAULTS) rows.add(row("", r));
        }
        var loaded = AgentLoader.load(config, AgentLoader.userFolders(paths), root, project);
        loaded.warnings().forEach(warnings);
        for (Agent agent : loaded.agents().all()) {
            for (Rule r : agent.permission()) {
                if (r.origin().source().endsWith("(built-in)")) continue;
                rows.add(new Row(agent.name(), r.permission(), r.pattern(), r.action().name().toLowerCase(Locale.ROOT), r.origin().source(), State.APPLIED));
            }
        }
        for (Withheld w : config.withheldOf(Withheld.Kind.ALLOW_RULES)) {
            // a withheld item names its file relative to the project root; the applied rules name theirs in full
            String file = root.resolve(w.source()).toString();
            for (String item : w.items()) rows.add(withheld(item, file));
        }
        return List.copyOf(rows);
    }

    private static Row row(String agent, Config.PermissionRuleConfig r) {
        return new Row(agent, r.permission(), r.pattern(), r.action(), r.origin().name(), State.APPLIED);
    }

    /** A withheld allow rule as {@code UntrustedLayer} names it: {@code bash: git push *} or {@code agent review: edit: *}. */
    private static Row withheld(String item, String source) {
        String agent = "";
        String rest = item;
        if (rest.startsWith("agent ")) {
            int colon = rest.indexOf(": ");
            agent = rest.substring("agent ".length(), colon);
            rest = rest.substring(colon + 2);
        }
        int colon = rest.indexOf(": ");
        return new Row(agent, rest.substring(0, colon), rest.substring(colon + 2), "allow", source, State.WITHHELD);
    }
}
