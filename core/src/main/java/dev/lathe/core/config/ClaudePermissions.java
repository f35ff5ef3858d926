package dev.lathe.core.config;

import dev.lathe.core.permission.PermissionPolicy;
import dev.lathe.core.permission.Ruleset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Claude Code's {@code permissions} ({@code allow}, {@code ask}, {@code deny} lists of rules in a settings file) as
 * Lathe's {@code permission} object (DESIGN §24 "Restrictive rules need no trust"): the one place that reads them, for
 * the project's {@code .claude/settings.json} and {@code .claude/settings.local.json} and the user's
 * {@code ~/.claude/settings.json}. {@link ConfigLoader} merges the result as a layer of its own, so a deny or ask rule
 * applies at once and an allow rule only where the file's folder is trusted ({@link ReachGate}).
 *
 * <p>Rules: {@code Read(path)} is {@code read}; {@code Edit(path)}, {@code Write(path)}, {@code MultiEdit(path)} and
 * {@code NotebookEdit(path)} are {@code edit} (Lathe's write, edit and apply_patch all ask it); {@code Bash},
 * {@code Bash(*)}, {@code Bash(cmd:*)} (a prefix: {@code cmd *}, which also matches the bare {@code cmd}),
 * {@code Bash(cmd *)} and {@code Bash(exact command)}; {@code WebFetch} and {@code WebFetch(domain:host)} (that host's
 * {@code https} and {@code http} URLs); {@code Skill(name)}; {@code Glob}, {@code Grep}, {@code LS} whole;
 * {@code mcp__server} and {@code mcp__server__*} (every tool of that MCP server, Lathe's {@code server_*}) and
 * {@code mcp__server__tool}. Paths: {@code ./x} and {@code x} as Lathe reads a pattern (relative to the project, a name
 * without {@code /} at any depth), {@code /x} relative to the folder that holds {@code .claude/}, {@code //x} the
 * absolute {@code /x}, {@code ~/x} in the home folder; a trailing {@code /} is the folder's whole content. Anything
 * else is not applied and said in {@link Mapped#unmapped} (one line each, naming the file and the rule), never dropped
 * silently; so are the other keys of {@code permissions}. {@code "defaultMode": "dontAsk"} is
 * {@code "permission": {"unattended": "deny"}} (every ask denied and read by the model, DESIGN §26); {@code acceptEdits},
 * {@code plan} and {@code additionalDirectories} are Lathe's keys of the same names ({@link PermissionModes}, applied
 * only in a trusted folder); {@code bypassPermissions} is never taken from a project's file ({@link Mapped#neverFromProject}).
 *
 * <p>Claude Code decides deny before ask before allow, whatever the patterns; Lathe decides by the most specific
 * pattern. Within one file, an allow or ask rule that a stricter rule of the same file covers is therefore dropped here
 * (it could never win in Claude Code), so {@code deny: Bash(rm:*)} still refuses {@code rm -rf build} when
 * {@code allow: Bash(rm -rf build)} sits beside it.
 */
public final class ClaudePermissions {
    /** The project's Claude Code settings files, relative to its root, in the order they merge (a later one wins). */
    static final List<String> PROJECT_FILES = List.of(".claude/settings.json", ".claude/settings.local.json");
    /** The user's Claude Code settings, relative to the home folder. */
    static final String USER_FILE = ".claude/settings.json";

    private static final Pattern RULE = Pattern.compile("([A-Za-z][A-Za-z0-9_]*)(?:\\((.*)\\))?", Pattern.DOTALL);
    private static final Pattern MCP = Pattern.compile("mcp__([A-Za-z0-9_-]+?)(?:__(.+))?");
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?");
    static final List<String> LISTS = List.of("deny", "ask", "allow");
    /** Claude Code's {@code defaultMode} that denies every ask a rule does not answer. */
    private static final String DONT_ASK = "dontAsk";

    private ClaudePermissions() {}

    /**
     * A settings file's rules: {@code layer} is the Lathe layer ({@code {"permission": {...}}}, empty when the file has
     * no {@code permissions}), {@code unmapped} one line per rule or key that is not applied ({@code FILE: deny
     * SlashCommand: Lathe has no counterpart of SlashCommand}).
     */
    public record Mapped(LocatedJson layer, List<String> unmapped, List<String> neverFromProject) {
        public Mapped {
            unmapped = List.copyOf(unmapped);
            neverFromProject = List.copyOf(neverFromProject);
        }
    }

    /**
     * Where a settings file lies, which says how its paths read: {@code base} is the folder that holds its
     * {@code .claude/} (the project root, or the home folder for the user's file), {@code project} the project the
     * configuration is loaded for, {@code home} the user's home folder; {@code shown} is the file's name in messages.
     */
    public record Place(Path base, Path project, Path home, String shown) {}

    /** {@code doc}'s {@code permissions} as a Lathe layer with the same source and lines. */
    public static Mapped mapped(LocatedJson doc, Place place) {
        ObjectNode permission = JsonNodeFactory.instance.objectNode();
        List<String> unmapped = new ArrayList<>();
        JsonNode permissions = doc.root().path("permissions");
        if (!permissions.isMissingNode() && !permissions.isObject()) {
            unmapped.add(place.shown() + ": permissions: expected an object of allow, ask and deny lists; not applied");
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        List<String> never = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : permissions.properties()) {
            // Claude Code's "deny instead of prompting" mode is Lathe's unattended deny (DESIGN §26): stricter, so no trust needed
            if (e.getKey().equals("defaultMode") && e.getValue().asString("").equals(DONT_ASK)) {
                permission.put(PermissionPolicy.UNATTENDED, "deny");
                continue;
            }
            if (e.getKey().equals(PermissionModes.MODE) || e.getKey().equals(PermissionModes.DIRECTORIES)) {
                modes(e.getKey(), e.getValue(), place, root, unmapped, never);
                continue;
            }
            if (!LISTS.contains(e.getKey())) {
                unmapped.add(place.shown() + ": permissions." + e.getKey() + ": Lathe does not apply it");
            } else if (!e.getValue().isArray()) {
                unmapped.add(place.shown() + ": permissions." + e.getKey() + ": expected a list of rules; not applied");
            }
        }
        List<Mapping> mapped = new ArrayList<>();
        for (String list : LISTS) {
            for (JsonNode rule : permissions.path(list)) {
                String text = rule.isString() ? rule.asString() : rule.toString();
                try {
                    for (Target t : targets(rule.isString() ? rule.asString().strip() : "", place, list)) mapped.add(new Mapping(t, list, text));
                } catch (Unmappable u) {
                    unmapped.add(place.shown() + ": " + list + " " + text + ": " + u.getMessage());
                }
            }
        }
        for (Mapping m : mapped) {
            if (coveredByStricter(m, mapped)) continue;
            ObjectNode patterns = permission.get(m.target.key) instanceof ObjectNode o ? o : permission.putObject(m.target.key);
            String before = patterns.path(m.target.pattern).asString("");
            if (before.isEmpty() || LISTS.indexOf(m.action) < LISTS.indexOf(before)) patterns.put(m.target.pattern, m.action);
        }
        if (!permission.isEmpty()) root.set("permission", permission);
        return new Mapped(new LocatedJson(doc.source(), root, doc.lines()), unmapped, never);
    }

    /**
     * What an administrator's Claude Code policy adds to Lathe's managed settings: the deny and ask rules of a
     * {@link #mapped} layer (and {@code dontAsk}'s unattended deny), never an allow rule, a mode or a folder, so a
     * policy written for Claude Code can only narrow what Lathe runs (issue 82).
     */
    public static LocatedJson restrictive(LocatedJson mapped) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (mapped.root().path("permission") instanceof ObjectNode permission) {
            ObjectNode kept = root.putObject("permission");
            for (Map.Entry<String, JsonNode> e : permission.properties()) {
                if (e.getValue() instanceof ObjectNode patterns) {
                    ObjectNode narrowing = JsonNodeFactory.instance.objectNode();
                    for (Map.Entry<String, JsonNode> p : patterns.properties()) {
                        if (!p.getValue().asString("").equals("allow")) narrowing.set(p.getKey(), p.getValue());
                    }
                    if (!narrowing.isEmpty()) kept.set(e.getKey(), narrowing);
                } else if (!e.getValue().asString("").equals("allow")) {
                    kept.set(e.getKey(), e.getValue());
                }
            }
        }
        return new LocatedJson(mapped.source(), root, mapped.lines());
    }

    /**
     * {@code defaultMode} ({@code acceptEdits}, {@code plan}, {@code default}) and {@code additionalDirectories} as Lathe's
     * keys of the same names ({@link PermissionModes}); {@code bypassPermissions} is never applied: from a project's file
     * it is named in {@code never} (said by {@code lathe run} and the terminal UI), from the user's in {@code unmapped}.
     */
    private static void modes(String key, JsonNode value, Place place, ObjectNode root, List<String> unmapped, List<String> never) {
        String where = place.shown() + ": permissions." + key;
        if (key.equals(PermissionModes.DIRECTORIES)) {
            if (!value.isArray() || !value.valueStream().allMatch(JsonNode::isString)) unmapped.add(where + ": expected a list of folders; not applied");
            else root.set(key, value.deepCopy());
            return;
        }
        String mode = value.asString("");
        if (PermissionModes.MODES.contains(mode)) {
            root.put(key, mode);
        } else if (mode.equals(BYPASS) && !place.base().equals(place.project())) {
            unmapped.add(where + ": " + PermissionModes.NO_BYPASS);
        } else if (mode.equals(BYPASS)) {
            never.add(key + " " + mode);
        } else {
            unmapped.add(where + ": " + (value.isString() ? "Lathe has no mode " + value : "expected a mode name") + "; not applied");
        }
    }

    private static final String BYPASS = "bypassPermissions";

    /** One Lathe rule a Claude Code rule became: the permission key and its pattern. */
    private record Target(String key, String pattern) {}

    private record Mapping(Target target, String action, String written) {}

    private static final class Unmappable extends RuntimeException {
        Unmappable(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether a stricter rule of the same file matches everything {@code m} does (Claude Code's deny-ask-allow order). */
    private static boolean coveredByStricter(Mapping m, List<Mapping> all) {
        for (Mapping other : all) {
            if (LISTS.indexOf(other.action) >= LISTS.indexOf(m.action) || !other.target.key.equals(m.target.key)) continue;
            if (Ruleset.covers(m.target.key, other.target.pattern, m.target.pattern)) return true;
        }
        return false;
    }

    private static List<Target> targets(String rule, Place place, String list) {
        if (rule.isEmpty()) throw new Unmappable("expected a rule such as Read(./.env) or Bash(rm:*)");
        Matcher mcp = MCP.matcher(rule);
        if (mcp.matches()) {
            String server = mcp.group(1);
            String tool = mcp.group(2);
            // Lathe names an MCP tool SERVER_TOOL (McpToolName)
            if (tool == null || tool.equals("*")) return List.of(new Target(server + "_*", "*"));
            return List.of(new Target((server + "_" + tool).replaceAll("[^A-Za-z0-9_*-]", "_"), "*"));
        }
        Matcher m = RULE.matcher(rule);
        if (!m.matches()) throw new Unmappable("not a rule Lathe can read (expected Tool or Tool(specifier))");
        String tool = m.group(1);
        String spec = m.group(2) == null ? "" : m.group(2).strip();
        return switch (tool) {
            case "Read" -> List.of(new Target("read", path(spec, place)));
            case "Edit", "Write", "MultiEdit", "NotebookEdit" -> List.of(new Target("edit", path(spec, place)));
            case "Bash" -> List.of(new Target("bash", command(spec)));
            case "WebFetch" -> webFetch(spec, list);
            case "WebSearch" -> {
                if (!spec.isEmpty() && !spec.equals("*")) throw new Unmappable("Lathe's websearch rules match the query; write WebSearch alone");
                yield List.of(new Target("websearch", "*"));
            }
            case "Skill" -> List.of(new Target("skill", spec.isEmpty() ? "*" : spec));
            case "Glob", "Grep", "LS" -> {
                if (!spec.isEmpty() && !spec.equals("*")) throw new Unmappable("Lathe's " + tool.toLowerCase(java.util.Locale.ROOT)
                        + " rules take no specifier; write the path as a Read rule");
                yield List.of(new Target(tool.equals("LS") ? "list" : tool.toLowerCase(java.util.Locale.ROOT), "*"));
            }
            default -> throw new Unmappable("Lathe has no counterpart of " + tool);
        };
    }

    /** {@code Bash(...)}'s specifier as a Lathe command pattern. */
    private static String command(String spec) {
        if (spec.isEmpty() || spec.equals("*")) return "*";
        // the legacy prefix form: Bash(npm run test:*) is every command line that begins with "npm run test"
        if (spec.endsWith(":*")) {
            String prefix = spec.substring(0, spec.length() - 2).strip();
            if (prefix.isEmpty()) return "*";
            return prefix + " *";
        }
        return spec;
    }

    private static List<Target> webFetch(String spec, String list) {
        if (spec.isEmpty() || spec.equals("*")) return List.of(new Target("webfetch", "*"));
        if (!spec.startsWith("domain:")) throw new Unmappable("expected WebFetch or WebFetch(domain:HOST)");
        String host = spec.substring("domain:".length()).strip();
        if (!HOST.matcher(host).matches()) throw new Unmappable("'" + host + "' is not a host name");
        // a URL pattern's * crosses '/': a wildcard host would let an allow reach other hosts (https://evil/x.example.com/)
        if (host.startsWith("*.") && list.equals("allow")) throw new Unmappable("an allow rule for every subdomain is not applied; name each host");
        List<Target> out = new ArrayList<>();
        for (String scheme : List.of("https://", "http://")) {
            out.add(new Target("webfetch", scheme + host));
            out.add(new Target("webfetch", scheme + host + "/*"));
        }
        return out;
    }

    /** A {@code Read}/{@code Edit} path in Claude Code's notation as a Lathe path pattern. */
    private static String path(String spec, Place place) {
        if (spec.isEmpty() || spec.equals("**")) return "*";
        String p = spec;
        if (p.endsWith("/")) p = p + "**";
        String absolute;
        if (p.startsWith("//")) {
            absolute = p.substring(1);
        } else if (p.startsWith("~/")) {
            absolute = place.home().resolve(p.substring(2)).toString();
        } else if (p.equals("~")) {
            absolute = place.home().toString() + "/**";
        } else if (p.startsWith("/")) {
            absolute = place.base().resolve(p.substring(1)).toString();
        } else if (p.startsWith("./")) {
            return p.substring(2).isEmpty() ? "*" : p.substring(2);
        } else if (p.startsWith("../") || p.contains("/../") || p.equals("..")) {
            throw new Unmappable("a path above the project is written //ABSOLUTE or ~/PATH for Lathe");
        } else {
            return p;
        }
        String root = place.project().toAbsolutePath().normalize().toString();
        if (absolute.equals(root)) return "**";
        if (absolute.startsWith(root + "/")) return absolute.substring(root.length() + 1);
        return absolute;
    }
}
