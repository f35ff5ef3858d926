package dev.lathe.core.agent;

import dev.lathe.core.config.Config;
import dev.lathe.core.trust.AgentRulePins;
import dev.lathe.core.trust.TrustGate;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.PromptFiles;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.RuleOrigin;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the agents of one project folder (DESIGN §11, docs/decisions.md §46). Sources, each applied over the agent of
 * the same name the ones before it defined (field by field; permission rules add up):
 * <ol>
 *   <li>the built-in agents ({@link BuiltinAgents});</li>
 *   <li>the config's {@code agent.<name>} objects (every config layer already merged);</li>
 *   <li>{@code *.md} files of the user's agent folders ({@link #userFolders}): OpenCode's global {@code agent/} and
 *       {@code agents/}, Claude Code's personal {@code ~/.claude/agents/}, then Lathe's
 *       {@code $XDG_CONFIG_HOME/lathe/agents/};</li>
 *   <li>for each folder from the repository root down to the working folder, the files of
 *       {@code .opencode/agent/}, {@code .opencode/agents/}, {@code .claude/agents/}, then {@code .lathe/agents/}, each
 *       folder's files in name order;</li>
 *   <li>the config's {@code agent.<name>.permission} once more, so a rule written in config is never undone by a file.</li>
 * </ol>
 * A file that cannot be read or parsed is skipped with a warning naming its path and line (logged, and kept in
 * {@link Loaded#warnings}); the other agents still load. Never throws for a bad file.
 */
public final class AgentLoader {
    private static final System.Logger LOG = System.getLogger(AgentLoader.class.getName());

    /** Agent folders in each project folder, in the order they apply (later ones win), with their dialect. */
    private static final List<Map.Entry<String, AgentFile.Dialect>> PROJECT_FOLDERS = List.of(
            Map.entry(AgentRulePins.FOLDERS.get(0), AgentFile.Dialect.OPENCODE),
            Map.entry(AgentRulePins.FOLDERS.get(1), AgentFile.Dialect.OPENCODE),
            Map.entry(AgentRulePins.FOLDERS.get(2), AgentFile.Dialect.CLAUDE),
            Map.entry(AgentRulePins.FOLDERS.get(3), AgentFile.Dialect.LATHE));

    private AgentLoader() {}

    /**
     * The agents of a project, the warnings about files that were skipped, and what they were read from, so that
     * {@link #isCurrent} can tell when a file was added, changed or removed.
     */
    public record Loaded(Agents agents, List<String> warnings, Map<Path, String> read) {
        public Loaded {
            warnings = List.copyOf(warnings);
            read = Map.copyOf(read);
        }

        /** False once an agent file in one of the folders read was added, changed or removed. */
        public boolean isCurrent() {
            for (Map.Entry<Path, String> e : read.entrySet()) if (!fingerprint(e.getKey()).equals(e.getValue())) return false;
            return true;
        }
    }

    /** The user's agent folders with their dialects, in the order they apply (later ones win). */
    public static List<Map.Entry<Path, AgentFile.Dialect>> userFolders(LathePaths paths) {
        return List.of(Map.entry(paths.openCode().resolve("agent"), AgentFile.Dialect.OPENCODE),
                Map.entry(paths.openCode().resolve("agents"), AgentFile.Dialect.OPENCODE),
                Map.entry(paths.claude().resolve("agents"), AgentFile.Dialect.CLAUDE),
                Map.entry(paths.config().resolve("agents"), AgentFile.Dialect.LATHE));
    }

    /**
     * @param userFolders the user's agent folders ({@link #userFolders}), read before the project's
     * @param repoRoot    the project's root (where its {@code lathe.json} is read)
     * @param directory   the working folder, at or below {@code repoRoot}
     */
    public static Loaded load(Config config, List<Map.Entry<Path, AgentFile.Dialect>> userFolders, Path repoRoot, Path directory) {
        return load(config, userFolders, List.of(), repoRoot, directory);
    }

    /**
     * Agents of a Claude Code plugin: {@code path} is a folder of {@code *.md} files or one file, read as Claude Code's
     * agent files; each agent is named {@code prefix:name} ({@code my-plugin:reviewer}), as Claude Code names a plugin's
     * agents, and {@code expand} rewrites its prompt ({@code ${CLAUDE_PLUGIN_ROOT}}).
     */
    public record PluginSource(String prefix, Path path, java.util.function.UnaryOperator<String> expand) {}

    /** As {@link #load(Config, List, Path, Path)}, with {@code plugins}' agents read after the user's folders. */
    public static Loaded load(Config config, List<Map.Entry<Path, AgentFile.Dialect>> userFolders, List<PluginSource> plugins, Path repoRoot,
            Path directory) {
        return load(config, userFolders, plugins, repoRoot, directory, PromptFiles.lenient(repoRoot));
    }

    /**
     * As {@link #load(Config, List, List, Path, Path)}, each agent file first passing {@code guard} (issue 40): a file that
     * links out of the project or that a {@code read} rule holds back is skipped (its prompt would reach the model).
     */
    public static Loaded load(Config config, List<Map.Entry<Path, AgentFile.Dialect>> userFolders, List<PluginSource> plugins, Path repoRoot,
            Path directory, PromptFiles guard) {
        Map<String, Agent> agents = new LinkedHashMap<>();
        for (Agent a : BuiltinAgents.ALL) agents.put(a.name(), a);
        // explore searches on the small model when one is configured
        config.smallModel().ifPresent(small -> agents.computeIfPresent(BuiltinAgents.EXPLORE, (_, a) -> new Agent(a.name(), a.description(), a.mode(),
                Optional.of(small), a.temperature(), a.steps(), a.prompt(), a.permission(), a.tools(), a.source())));
        String fallbackPrompt = agents.get(BuiltinAgents.DEFAULT).prompt();
        List<String> warnings = new ArrayList<>();
        for (Config.AgentConfig c : config.agents().values()) apply(agents, fromConfig(c), fallbackPrompt, warnings);

        Map<Path, String> read = new LinkedHashMap<>();
        List<Map.Entry<Path, AgentFile.Dialect>> folders = new ArrayList<>();
        folders.addAll(userFolders);
        List<Map.Entry<Path, AgentFile.Dialect>> projectFolders = new ArrayList<>();
        for (Path dir : chain(repoRoot, directory)) {
            for (var f : PROJECT_FOLDERS) projectFolders.add(Map.entry(dir.resolve(f.getKey()), f.getValue()));
        }
        readFolders(folders, config, read, agents, fallbackPrompt, warnings, guard, new Trust.AllRules());
        for (PluginSource source : plugins) {
            read.put(source.path(), fingerprint(source.path()));
            for (Path file : Files.isRegularFile(source.path()) ? List.of(source.path()) : files(source.path())) {
                readFile(file, AgentFile.Dialect.CLAUDE, config.smallModel(), warnings, guard).map(Read::spec).ifPresent(spec -> apply(agents, new AgentSpec(
                        source.prefix() + ":" + spec.name(), spec.description(), spec.mode(), spec.model(), spec.temperature(), spec.steps(),
                        spec.prompt().map(source.expand()), spec.permission(), spec.tools(), spec.source(), spec.isolation(), spec.launchMode()), fallbackPrompt, warnings));
            }
        }
        readFolders(projectFolders, config, read, agents, fallbackPrompt, warnings, guard,
                guard.folderTrusted() ? new Trust.Pinned(repoRoot, config.approvedFiles()) : new Trust.NoAllow());
        for (Config.AgentConfig c : config.agents().values()) {
            if (!c.permission().isEmpty()) agents.computeIfPresent(c.name(), (_, a) -> a.withPermission(rules(c.name(), c.permission())));
        }
        for (String w : warnings) LOG.log(System.Logger.Level.WARNING, w);
        return new Loaded(new Agents(List.copyOf(agents.values())), warnings, read);
    }

    /**
     * Which rules of agent files apply: the user's all; an untrusted folder's its deny and ask only (DESIGN §24: a cloned
     * repository's {@code permissionMode: bypassPermissions} or {@code edit: allow} opens nothing); a trusted folder's
     * allow rules only while the file is as trust pinned it (DESIGN §30, {@link AgentRulePins}).
     */
    private sealed interface Trust {
        record AllRules() implements Trust {}

        record NoAllow() implements Trust {}

        /** @param approved the hashes trust admitted ({@link Config#approvedFiles}) @param root the project root they are pinned under */
        record Pinned(Path root, java.util.Set<String> approved) implements Trust {}
    }

    /** An agent file's spec and the text it was read from (what its pin is of). */
    private record Read(AgentSpec spec, String text) {}

    private static AgentSpec ruled(Trust trust, Path file, Read read, List<String> warnings) {
        return switch (trust) {
            case Trust.AllRules a -> read.spec();
            case Trust.NoAllow n -> withoutAllows(read.spec(), warnings, "its allow rules apply once the folder is trusted (run lathe trust)");
            case Trust.Pinned p -> !p.approved().contains(AgentRulePins.PINS_CHECKED)
                    || p.approved().contains(TrustGate.hashOf(p.root(), AgentRulePins.item(p.root(), file, read.text()))) ? read.spec()
                    : withoutAllows(read.spec(), warnings, "changed since trust: its allow rules wait for approval (run lathe trust --show to review, "
                            + "lathe trust to allow them; they would widen permissions)");
        };
    }

    private static void readFolders(List<Map.Entry<Path, AgentFile.Dialect>> folders, Config config, Map<Path, String> read,
            Map<String, Agent> agents, String fallbackPrompt, List<String> warnings, PromptFiles guard, Trust trust) {
        for (var folder : folders) {
            read.put(folder.getKey(), fingerprint(folder.getKey()));
            for (Path file : files(folder.getKey())) {
                readFile(file, folder.getValue(), config.smallModel(), warnings, guard)
                        .map(found -> ruled(trust, file, found, warnings))
                        .map(spec -> config.managed().disableAllowAll() ? withoutBypass(spec, config, warnings) : spec)
                        .ifPresent(spec -> apply(agents, spec, fallbackPrompt, warnings));
            }
        }
    }

    /**
     * An agent file's {@code permissionMode: bypassPermissions} (its allow-everything rules) is ignored where the
     * administrator's {@code disableAllowAll} is on (DESIGN §29), said once naming the setting; its other rules stay.
     */
    private static AgentSpec withoutBypass(AgentSpec spec, Config config, List<String> warnings) {
        if (spec.permission().stream().noneMatch(r -> r.permission().equals("*") && r.pattern().equals("*") && r.action() == Action.ALLOW)) return spec;
        List<Rule> kept = spec.permission().stream()
                .filter(r -> !(r.action() == Action.ALLOW && r.pattern().equals("*") && AgentFile.BYPASS_KEYS.contains(r.permission()))).toList();
        warnings.add(spec.source() + ": permissionMode bypassPermissions ignored: the " + config.managed().named("disableAllowAll") + " turns it off");
        return new AgentSpec(spec.name(), spec.description(), spec.mode(), spec.model(), spec.temperature(), spec.steps(), spec.prompt(), kept,
                spec.tools(), spec.source(), spec.isolation(), spec.launchMode());
    }

    private static AgentSpec withoutAllows(AgentSpec spec, List<String> warnings, String why) {
        List<Rule> kept = spec.permission().stream().filter(r -> r.action() != Action.ALLOW).toList();
        if (kept.size() == spec.permission().size()) return spec;
        warnings.add(spec.source() + ": " + why);
        return new AgentSpec(spec.name(), spec.description(), spec.mode(), spec.model(), spec.temperature(), spec.steps(), spec.prompt(), kept,
                spec.tools(), spec.source(), spec.isolation(), spec.launchMode());
    }

    private static void apply(Map<String, Agent> agents, AgentSpec spec, String fallbackPrompt, List<String> warnings) {
        Agent next = spec.over(Optional.ofNullable(agents.get(spec.name())), fallbackPrompt);
        if (next.name().equals(BuiltinAgents.DEFAULT) && !next.primary()) {
            // every session starts with it: it must stay selectable
            warnings.add(spec.source() + ": the default agent '" + BuiltinAgents.DEFAULT + "' must stay a primary agent; its mode was not changed");
            next = new Agent(next.name(), next.description(), Agent.Mode.PRIMARY, next.model(), next.temperature(), next.steps(), next.prompt(),
                    next.permission(), next.tools(), next.source(), next.isolation(), next.launchMode());
        }
        agents.put(next.name(), next);
    }

    private static AgentSpec fromConfig(Config.AgentConfig c) {
        return new AgentSpec(c.name(), c.description(), c.mode().flatMap(Agent.Mode::parse), c.model(), c.temperature(), c.steps(),
                c.prompt(), rules(c.name(), c.permission()), c.tools(), "config", Optional.empty(),
                c.background().map(b -> b ? Agent.Launch.BACKGROUND : Agent.Launch.BLOCKING));
    }

    /** An agent's rules from the config's {@code agent.<name>.permission}: its layer, written in the config file that set each. */
    private static List<Rule> rules(String agent, List<Config.PermissionRuleConfig> configured) {
        return configured.stream().map(r -> new Rule(r.permission(), r.pattern(), Action.parse(r.action()),
                RuleOrigin.agent(agent, r.origin().name()))).toList();
    }

    private static Optional<Read> readFile(Path file, AgentFile.Dialect dialect, Optional<String> smallModel, List<String> warnings,
            PromptFiles guard) {
        String text;
        try {
            Optional<String> admitted = guard.read(file);
            if (admitted.isEmpty()) return Optional.empty();
            text = admitted.get();
        } catch (MalformedInputException e) {
            warnings.add(file + ": skipped: not UTF-8 text");
            return Optional.empty();
        } catch (IOException e) {
            warnings.add(file + ": skipped: cannot read it (" + e.getMessage() + ")");
            return Optional.empty();
        }
        try {
            return AgentFile.parse(text, file.getFileName().toString(), file.toString(), dialect, smallModel).map(spec -> new Read(spec, text));
        } catch (AgentFile.Problem p) {
            warnings.add(file + (p.line > 0 ? ":" + p.line : "") + ": agent skipped: " + p.getMessage());
            return Optional.empty();
        }
    }

    /** {@code repoRoot}, then each folder below it down to {@code directory}. */
    static List<Path> chain(Path repoRoot, Path directory) {
        if (!directory.startsWith(repoRoot)) return List.of(directory);
        List<Path> out = new ArrayList<>();
        out.add(repoRoot);
        if (directory.equals(repoRoot)) return out;
        Path at = repoRoot;
        for (Path part : repoRoot.relativize(directory)) {
            at = at.resolve(part);
            out.add(at);
        }
        return out;
    }

    /** The {@code *.md} files directly in {@code folder}, by name; none when it does not exist. */
    private static List<Path> files(Path folder) {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".md") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list agent folder " + folder + ": " + e.getMessage());
            return List.of();
        }
    }

    /** What an agent folder holds: names, sizes and change times of its files; empty when it does not exist. */
    private static String fingerprint(Path folder) {
        StringBuilder out = new StringBuilder();
        for (Path f : files(folder)) {
            try {
                out.append(f.getFileName()).append(' ').append(Files.size(f)).append(' ').append(Files.getLastModifiedTime(f).toMillis()).append('\n');
            } catch (IOException e) {
                out.append(f.getFileName()).append(" ?\n");
            }
        }
        return out.toString();
    }
}
