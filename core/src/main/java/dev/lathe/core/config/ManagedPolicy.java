package dev.lathe.core.config;

import dev.lathe.core.trust.CommandPaths;
import dev.lathe.core.trust.AdmittedUrl;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import dev.lathe.protocol.Version;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an administrator's managed files enforce besides their permission rules (DESIGN §29), which no other layer,
 * flag, variable or client can loosen: {@code allowedProviders}, {@code models: {allow, deny}} (patterns over
 * {@code provider/model}, {@code *} any text), {@code disableAllowAll}, {@code disableAutoApproval}, {@code requiredMinimumVersion}, {@code telemetry}
 * forced on or off, {@code allowedCommands} (patterns over the command line of every hook and local MCP server; a
 * {@code *} never spans a shell operator, so {@code /opt/corp/*} does not admit {@code /opt/corp/x; curl …}, and paths
 * are compared as the kernel opens them, {@link CommandPaths}), and {@code allowedBaseUrls} (per provider, the base
 * URLs its requests may go to; once {@code allowedProviders} names providers, Lathe's own URLs for one it does not list).
 * {@code setBy} names the file that set each key, so every refusal names the setting and its file.
 */
public record ManagedPolicy(List<String> files, Optional<List<String>> allowedProviders, Optional<List<String>> modelAllow, List<String> modelDeny,
        boolean disableAllowAll, Optional<String> requiredMinimumVersion, Optional<Boolean> telemetry, Optional<List<String>> allowedCommands,
        Map<String, List<AdmittedUrl>> allowedBaseUrls, Map<String, String> setBy, boolean disableAutoApproval) {

    /** No managed file: nothing enforced. */
    public static final ManagedPolicy NONE = new ManagedPolicy(List.of(), Optional.empty(), Optional.empty(), List.of(), false, Optional.empty(),
            Optional.empty(), Optional.empty(), Map.of(), Map.of(), false);

    /** The keys only a managed file may set (a user's or project's file naming one is told so by the schema). */
    static final List<String> KEYS = List.of("allowedProviders", "models", "disableAllowAll", "disableAutoApproval", "requiredMinimumVersion", "allowedCommands",
            "allowedBaseUrls");

    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+){0,3}");

    public ManagedPolicy {
        files = List.copyOf(files);
        modelDeny = List.copyOf(modelDeny);
        var urls = new java.util.TreeMap<String, List<AdmittedUrl>>();
        allowedBaseUrls.forEach((provider, admitted) -> urls.put(provider, List.copyOf(admitted)));
        allowedBaseUrls = java.util.Collections.unmodifiableMap(urls);
        setBy = Map.copyOf(setBy);
    }

    /** The managed layers with the policy keys taken out (what is left is ordinary configuration), and the policy. */
    record Taken(List<LocatedJson> layers, ManagedPolicy policy) {}

    /**
     * Takes the policy keys out of {@code managed} (the managed files in order, a later file's value replacing an
     * earlier one's), checking each.
     *
     * @throws ConfigException naming the file, line and key of a value that is not what the key takes
     */
    static Taken take(List<LocatedJson> managed) {
        return take(managed, UPGRADING.isBound() ? Optional.empty() : Optional.of(Version.current()));
    }

    /**
     * Bound while {@code lathe upgrade} reads the configuration (its network mode): {@code requiredMinimumVersion} is
     * not checked then, since it is the setting that tells the user to upgrade.
     */
    public static final ScopedValue<Boolean> UPGRADING = ScopedValue.newInstance();

    /**
     * As {@link #take(List)} for a Lathe of version {@code current}: one older than {@code requiredMinimumVersion} loads
     * nothing; with no version, that setting is not checked.
     */
    static Taken take(List<LocatedJson> managed, Optional<String> current) {
        List<LocatedJson> rest = new ArrayList<>();
        Map<String, String> setBy = new LinkedHashMap<>();
        Optional<List<String>> providers = Optional.empty();
        Optional<List<String>> allow = Optional.empty();
        List<String> deny = List.of();
        boolean noAllowAll = false;
        boolean noAuto = false;
        Optional<String> version = Optional.empty();
        Optional<Boolean> telemetry = Optional.empty();
        Optional<List<String>> commands = Optional.empty();
        // merged provider by provider, as objects merge over the layers: a later file's entry replaces that provider's
        Map<String, List<AdmittedUrl>> baseUrls = new LinkedHashMap<>();
        for (LocatedJson layer : managed) {
            ObjectNode root = layer.root().deepCopy();
            Check check = new Check(layer);
            for (String key : KEYS) if (root.has(key)) setBy.put(key, layer.source());
            if (root.has("allowedProviders")) providers = Optional.of(check.strings("allowedProviders", root.remove("allowedProviders")));
            if (root.remove("models") instanceof JsonNode models) {
                if (!models.isObject()) throw check.fail("models", "expected an object {\"allow\": [...], \"deny\": [...]}");
                for (String name : models.propertyNames()) {
                    if (!name.equals("allow") && !name.equals("deny")) throw check.fail("models." + name, "unknown key (expected allow, deny)");
                }
                if (models.has("allow")) allow = Optional.of(check.strings("models.allow", models.get("allow")));
                if (models.has("deny")) deny = check.strings("models.deny", models.get("deny"));
            }
            if (root.remove("disableAllowAll") instanceof JsonNode v) {
                if (!v.isBoolean()) throw check.fail("disableAllowAll", "expected true or false");
                noAllowAll = v.asBoolean();
            }
            if (root.remove("disableAutoApproval") instanceof JsonNode v) {
                if (!v.isBoolean()) throw check.fail("disableAutoApproval", "expected true or false");
                noAuto = v.asBoolean();
            }
            if (root.remove("requiredMinimumVersion") instanceof JsonNode v) {
                if (!v.isString() || !VERSION.matcher(v.asString()).matches()) throw check.fail("requiredMinimumVersion", "expected a version such as \"0.4.0\"");
                version = Optional.of(v.asString());
            }
            if (root.has("allowedCommands")) commands = Optional.of(check.strings("allowedCommands", root.remove("allowedCommands")));
            if (root.remove("allowedBaseUrls") instanceof JsonNode urls) baseUrls.putAll(check.urls(urls));
            // read where a marketplace is added (claudeplugin.MarketplacePolicy), Claude Code's keys as they are: not configuration
            root.remove("strictKnownMarketplaces");
            root.remove("blockedMarketplaces");
            // "telemetry": true|false forces it; an object's "enabled" does the same and the rest stays configuration
            JsonNode t = root.get("telemetry");
            if (t != null && t.isBoolean()) {
                telemetry = Optional.of(t.asBoolean());
                root.remove("telemetry");
                setBy.put("telemetry", layer.source());
            } else if (t instanceof ObjectNode object && object.has("enabled")) {
                if (!object.get("enabled").isBoolean()) throw check.fail("telemetry.enabled", "expected true or false");
                telemetry = Optional.of(object.remove("enabled").asBoolean());
                if (object.isEmpty()) root.remove("telemetry");
                setBy.put("telemetry", layer.source());
            }
            rest.add(new LocatedJson(layer.source(), root, layer.lines()));
        }
        var files = managed.stream().map(LocatedJson::source).toList();
        var policy = new ManagedPolicy(files, providers, allow, deny, noAllowAll, version, telemetry, commands, baseUrls, setBy, noAuto);
        Optional<String> tooOld = current.flatMap(policy::refusalOfVersion);
        if (tooOld.isPresent()) {
            LocatedJson setter = managed.stream().filter(l -> l.source().equals(setBy.get("requiredMinimumVersion"))).findFirst().orElseThrow();
            throw new ConfigException(setter.source(), setter.lineOf("requiredMinimumVersion"), "requiredMinimumVersion", tooOld.get());
        }
        return new Taken(rest, policy);
    }

    private record Check(LocatedJson layer) {
        ConfigException fail(String key, String problem) {
            return new ConfigException(layer.source(), layer.lineOf(key), key, problem);
        }

        List<String> strings(String key, JsonNode node) {
            if (!node.isArray()) throw fail(key, "expected an array of strings");
            List<String> out = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isString() || item.asString().isBlank()) throw fail(key, "expected an array of non-empty strings");
                out.add(item.asString());
            }
            return List.copyOf(out);
        }

        /** {@code allowedBaseUrls}: provider id → the base URLs admitted for it, each an http(s) URL with a host. */
        Map<String, List<AdmittedUrl>> urls(JsonNode node) {
            String key = "allowedBaseUrls";
            if (!node.isObject()) throw fail(key, "expected an object {\"provider\": [\"https://host/path\", ...]}");
            Map<String, List<AdmittedUrl>> out = new LinkedHashMap<>();
            for (String provider : node.propertyNames()) {
                List<AdmittedUrl> admitted = new ArrayList<>();
                for (String url : strings(key + "." + provider, node.get(provider))) {
                    if (url.contains("${")) throw fail(key + "." + provider, "expected a URL without variables, not " + url);
                    admitted.add(AdmittedUrl.of(url).orElseThrow(() -> fail(key + "." + provider, "expected an http:// or https:// URL with a host, not " + url)));
                }
                out.put(provider, admitted);
            }
            return out;
        }
    }

    /** Whether any managed file was read. */
    public boolean present() { return !files.isEmpty(); }

    /** {@code key} and the file that set it, as every refusal names them: {@code managed setting disableAllowAll (/etc/lathe/managed.json)}. */
    public String named(String key) {
        return "managed setting " + key + " (" + setBy.getOrDefault(key, files.isEmpty() ? "managed settings" : files.getLast()) + ")";
    }

    /** Why {@code provider/model} may not be used, or empty when it may. */
    public Optional<String> refusalOf(String provider, String model) {
        String ref = provider + "/" + model;
        if (allowedProviders.isPresent() && !matchesAny(allowedProviders.get(), provider, false)) {
            return Optional.of("provider '" + provider + "' is not allowed by the " + named("allowedProviders") + ": allowed are "
                    + String.join(", ", allowedProviders.get()));
        }
        for (String pattern : modelDeny) {
            if (matches(pattern, ref, false)) return Optional.of("model '" + ref + "' is refused by the " + named("models") + " (deny " + pattern + ")");
        }
        if (modelAllow.isPresent() && !matchesAny(modelAllow.get(), ref, false)) {
            return Optional.of("model '" + ref + "' is not allowed by the " + named("models") + ": allowed are " + String.join(", ", modelAllow.get()));
        }
        return Optional.empty();
    }

    /**
     * Why a model request of {@code provider} may not go to {@code baseUrl}, or empty when it may (decision 558): the
     * URLs {@code allowedBaseUrls} lists for the provider; for one it does not list, once {@code allowedProviders} names
     * providers, only {@code catalogUrls} (the URLs Lathe itself knows for it: its bundled catalog, a subscription's
     * backend). Without either setting any URL is admitted.
     */
    public Optional<String> refusalOfBaseUrl(String provider, URI baseUrl, java.util.function.Supplier<List<AdmittedUrl>> catalogUrls) {
        List<AdmittedUrl> admitted;
        String setting;
        if (allowedBaseUrls.containsKey(provider)) {
            admitted = allowedBaseUrls.get(provider);
            setting = named("allowedBaseUrls");
        } else if (allowedProviders.isPresent()) {
            admitted = catalogUrls.get();
            setting = named("allowedProviders") + ", which admits only the URLs Lathe's catalog gives a provider that "
                    + named("allowedBaseUrls") + " does not list";
        } else {
            return Optional.empty();
        }
        if (admitted.stream().anyMatch(a -> a.admits(baseUrl))) return Optional.empty();
        String hosts = admitted.isEmpty() ? "none (list its URLs under allowedBaseUrls." + provider + ")"
                : String.join(", ", admitted.stream().map(AdmittedUrl::shown).toList());
        return Optional.of("provider '" + provider + "' at " + baseUrl + " is refused by the " + setting + ": allowed are " + hosts
                + "; nothing was sent");
    }

    /** The URLs {@code allowedBaseUrls} lists per provider (what {@code lathe doctor} shows beside the defaults). */
    public Map<String, List<AdmittedUrl>> listedBaseUrls() { return allowedBaseUrls; }

    /** Why a prompt may not answer its asks in advance ({@code --allow-all}, a bypass mode), or empty when it may. */
    public Optional<String> refusalOfAllowAll() {
        return disableAllowAll ? Optional.of("--allow-all is refused: the " + named("disableAllowAll") + " turns it off; run without it")
                : Optional.empty();
    }

    /**
     * Why auto-approval's classifier may not answer asks (DESIGN §31), or empty when it may: {@code disableAutoApproval}
     * drops every layer's {@code permission.auto} ({@link Config#withManaged}), so no flag, mode or toggle turns it on.
     */
    public Optional<String> refusalOfAuto() {
        return disableAutoApproval ? Optional.of("auto-approval is off: the " + named("disableAutoApproval") + " turns it off;"
                + " asks go to a person, or to permission.unattended when nobody watches") : Optional.empty();
    }

    /** Why a Lathe of version {@code current} may not start, or empty when it may (a version that is not numbers is too old). */
    public Optional<String> refusalOfVersion(String current) {
        if (requiredMinimumVersion.isEmpty() || compare(current, requiredMinimumVersion.get()) >= 0) return Optional.empty();
        return Optional.of("this Lathe is " + current + ", older than the " + named("requiredMinimumVersion") + " of " + requiredMinimumVersion.get()
                + ": install a newer one (lathe upgrade)");
    }

    /** Why a hook or MCP server running {@code commandLine} may not run, or empty when it may. */
    public Optional<String> refusalOfCommand(String what, String commandLine) {
        if (allowedCommands.isEmpty()) return Optional.empty();
        // compared as the kernel will open it (decision 557): `hooks/../../bin/sh` is /bin/sh, never a file under hooks/
        Optional<String> opened = CommandPaths.canonical(commandLine.strip());
        if (opened.isPresent() && allowedCommands.get().stream().anyMatch(p -> matches(CommandPaths.canonicalPattern(p), opened.get(), true))) {
            return Optional.empty();
        }
        String read = opened.filter(o -> !o.equals(commandLine.strip())).map(o -> " (read as `" + o + "`)")
                .orElse(opened.isEmpty() ? " (a path in it holds * ? [ ] { } the shell would expand)" : "");
        return Optional.of(what + " not started: its command `" + commandLine.strip() + "`" + read + " is not in the " + named("allowedCommands"));
    }

    private static final System.Logger LOG = System.getLogger(ManagedPolicy.class.getName());

    /** {@code refusal}, said in the log (where a dropped hook or server is told). */
    static String logged(String refusal) {
        LOG.log(System.Logger.Level.WARNING, "lathe: " + refusal);
        return refusal;
    }

    /** One line per thing enforced, for {@code lathe doctor}. */
    public List<String> enforced() {
        List<String> out = new ArrayList<>();
        allowedProviders.ifPresent(p -> out.add("allowedProviders " + String.join(", ", p)));
        modelAllow.ifPresent(p -> out.add("models.allow " + String.join(", ", p)));
        if (!modelDeny.isEmpty()) out.add("models.deny " + String.join(", ", modelDeny));
        if (disableAllowAll) out.add("disableAllowAll");
        if (disableAutoApproval) out.add("disableAutoApproval");
        requiredMinimumVersion.ifPresent(v -> out.add("requiredMinimumVersion " + v));
        telemetry.ifPresent(t -> out.add("telemetry " + (t ? "on" : "off")));
        allowedCommands.ifPresent(c -> out.add("allowedCommands " + String.join(", ", c)));
        allowedBaseUrls.forEach((provider, urls) -> out.add("allowedBaseUrls " + provider + ": "
                + (urls.isEmpty() ? "none" : String.join(", ", urls.stream().map(AdmittedUrl::shown).toList()))));
        return out;
    }

    private static boolean matchesAny(List<String> patterns, String value, boolean shell) {
        return patterns.stream().anyMatch(p -> matches(p, value, shell));
    }

    /** {@code *} is any text (within a command, any text without a shell operator or line break); the rest literal. */
    static boolean matches(String pattern, String value, boolean shell) {
        var regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) regex.append(shell ? "[^;&|`$()<>\\n\\r]*" : ".*");
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    /** Compares dotted versions by their leading numbers; one with no leading number sorts first. */
    static int compare(String a, String b) {
        int[] x = numbers(a);
        int[] y = numbers(b);
        if (x.length == 0 || y.length == 0) return x.length - y.length;
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? x[i] : 0, i < y.length ? y[i] : 0);
            if (c != 0) return c;
        }
        return 0;
    }

    private static int[] numbers(String version) {
        var m = Pattern.compile("^(\\d+(?:\\.\\d+)*)").matcher(version.strip());
        if (!m.find()) return new int[0];
        return java.util.Arrays.stream(m.group(1).split("\\.")).mapToInt(s -> (int) Math.min(Integer.MAX_VALUE, Long.parseLong(s.length() > 9 ? "999999999" : s))).toArray();
    }
}
