package dev.lathe.core.claudeplugin;

import dev.lathe.mcp.McpServerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pins what an installed plugin's commands launch (DESIGN §33, decision 568): every package an MCP server or hook
 * starts through {@code npx}, {@code bunx}, {@code pnpm dlx} or {@code uvx} is resolved once, at install, to one
 * version with its registry integrity. A floating MCP server launch ({@code pkg@latest}, {@code pkg}, a range) is
 * rewritten in the installed copy to the version resolved, so the launch runs those bytes until the user updates;
 * what cannot be pinned is refused with the reason: a floating launch inside a hook's shell command (Lathe does not
 * rewrite shell text), a floating {@code uvx}, a package named by URL or path.
 */
public final class LaunchPins {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LaunchPins() {}

    /** Every launch the plugin's MCP servers and hooks make, in their order. */
    public static List<Launch> of(ClaudePlugin plugin) {
        List<Launch> out = new ArrayList<>();
        plugin.mcp().forEach((name, spec) -> {
            if (spec instanceof McpServerSpec.Local local) out.addAll(Launch.in("MCP server " + name, local.command()));
        });
        for (PluginHooks hooks : plugin.hooks()) {
            for (PluginHooks.Event event : hooks.events()) {
                for (JsonNode group : JSON.readTree(event.json())) {
                    for (JsonNode handler : group.path("hooks")) {
                        String command = handler.path("command").asString("");
                        if (!command.isBlank()) out.addAll(Launch.in("hook " + event.name(), List.of(command)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Pins the launches of the plugin staged at {@code folder}, rewriting its floating MCP server launches there.
     *
     * @return the pins, one per launch
     * @throws PluginInstalls.Failure naming the launch that cannot be pinned and why
     */
    public static List<PluginLock.Pinned> pin(Path folder, Map<String, String> env, NpmRegistry registry) {
        ClaudePlugin plugin = ClaudePlugins.read(folder, env);
        List<PluginLock.Pinned> pins = new ArrayList<>();
        for (Launch l : of(plugin)) {
            String what = l.by() + " launches `" + l.launcher() + " " + l.written() + "`";
            if (l.launcher().equals("uvx")) {
                if (!l.exact()) throw new PluginInstalls.Failure(what + ", which runs whatever the index serves that day: pin it in the plugin "
                        + "(PACKAGE==VERSION, or --from git+URL@COMMIT) and install it again");
                pins.add(new PluginLock.Pinned(l.by(), l.launcher(), l.pkg(), l.version().orElseThrow(), l.pkg().startsWith("git+") ? "git" : "pypi"));
                continue;
            }
            if (!l.npm()) throw new PluginInstalls.Failure(what + ": a package named by URL or path cannot be pinned; publish it, or name a version");
            if (!l.exact() && !l.by().startsWith("MCP server ")) {
                throw new PluginInstalls.Failure(what + ", which runs whatever the registry serves that day, inside a shell command Lathe "
                        + "does not rewrite: pin it in the plugin (" + l.pkg() + "@VERSION) and install it again");
            }
            NpmRegistry.Resolved resolved = registry.resolve(l.pkg(), l.version().orElse("latest"));
            if (!l.exact()) {
                rewrite(folder, plugin.manifest(), l.written(), l.pkg() + "@" + resolved.version());
            } else if (!resolved.version().equals(l.version().orElseThrow())) {
                throw new PluginInstalls.Failure(what + " but the registry resolves it to " + resolved.version());
            }
            pins.add(new PluginLock.Pinned(l.by(), l.launcher(), l.pkg(), resolved.version(), resolved.integrity()));
        }
        // what now launches must be what was pinned: a rewrite that missed leaves a floating launch, refused
        for (Launch l : of(ClaudePlugins.read(folder, env))) {
            if (!l.exact()) throw new PluginInstalls.Failure(l.by() + " still launches `" + l.written() + "` after pinning: pin it in the plugin");
        }
        return pins;
    }

    /** A JSON string value (never a key) that is exactly {@code written}. */
    private static Pattern value(String written) {
        return Pattern.compile("\"" + Pattern.quote(written) + "\"(?!\\s*:)");
    }

    /** Replaces the argument {@code written} by {@code pinned} in the files a plugin's MCP servers are read from. */
    private static void rewrite(Path folder, PluginManifest manifest, String written, String pinned) {
        List<Path> files = new ArrayList<>(List.of(folder.resolve(".mcp.json"), folder.resolve(PluginManifest.FILE)));
        manifest.mcpFile().ifPresent(files::add); // read from the staged folder: already inside it
        for (Path f : files.stream().distinct().toList()) {
            if (!Files.isRegularFile(f)) continue;
            try {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                String changed = value(written).matcher(text).replaceAll(Matcher.quoteReplacement("\"" + pinned + "\""));
                if (!changed.equals(text)) Files.writeString(f, changed, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new PluginInstalls.Failure("cannot pin " + written + " in " + f + ": " + e.getMessage());
            }
        }
    }
}
