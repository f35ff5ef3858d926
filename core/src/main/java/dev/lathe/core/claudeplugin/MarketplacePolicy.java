package dev.lathe.core.claudeplugin;

import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.LocatedJson;
import dev.lathe.core.config.ManagedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * An administrator's say over which marketplaces may be added (DESIGN §33): {@code strictKnownMarketplaces} (only
 * these; an empty list allows none) and {@code blockedMarketplaces} (never these), in Lathe's managed files and in
 * Claude Code's {@code managed-settings.json}, which uses the same keys. Each entry is a source object as Claude Code
 * writes it: {@code {"source": "github", "repo": "acme/*"}}, {@code {"source": "git" | "url", "url": …}},
 * {@code {"source": "directory", "path": …}} or {@code {"source": "hostPattern", "hostPattern": REGEX}}, with an
 * optional {@code ref}; {@code *} in a repo, URL or path matches any text (an owner's every repository).
 */
public record MarketplacePolicy(List<Strict> strict, List<Allowed> blocked, String setBy) {
    public static final MarketplacePolicy NONE = new MarketplacePolicy(List.of(), List.of(), "");

    public MarketplacePolicy {
        strict = List.copyOf(strict);
        blocked = List.copyOf(blocked);
    }

    /** One file's {@code strictKnownMarketplaces}: a source must be on every such list (each file can only narrow). */
    public record Strict(String file, List<Allowed> allowed) {}

    /** One entry: what it matches, and how it was written (for the refusal). */
    public record Allowed(String kind, String value, Optional<String> ref, String written) {
        boolean matches(MarketplaceSource s) {
            if (ref.isPresent() && !glob(ref.get()).matcher(s.ref().orElse("")).matches()) return false;
            return switch (s) {
                case MarketplaceSource.Git g -> switch (kind) {
                    case "github" -> g.githubRepo().isPresent() && glob(value).matcher(g.githubRepo().get()).matches()
                            || glob("https://github.com/" + value + ".git").matcher(g.url()).matches();
                    case "git", "url" -> glob(value).matcher(g.url()).matches();
                    case "hostPattern" -> g.host().filter(h -> Pattern.compile(value).matcher(h).matches()).isPresent();
                    default -> false;
                };
                case MarketplaceSource.Directory d -> (kind.equals("directory") || kind.equals("path")) && glob(value).matcher(d.path().toString()).matches();
            };
        }
    }

    /** Why {@code source} may not be added, or empty when it may. */
    public Optional<String> refusal(MarketplaceSource source) {
        for (Allowed b : blocked) {
            if (b.matches(source)) return Optional.of(source.written() + " is blocked by the managed setting blockedMarketplaces (" + setBy + "): " + b.written());
        }
        for (Strict list : strict) {
            if (list.allowed().stream().noneMatch(a -> a.matches(source))) {
                return Optional.of(source.written() + " is not allowed by the managed setting strictKnownMarketplaces (" + list.file() + ")"
                        + (list.allowed().isEmpty() ? ", which allows none"
                                : ": allowed are " + String.join(", ", list.allowed().stream().map(Allowed::written).toList())));
            }
        }
        return Optional.empty();
    }

    /**
     * The policy of the managed files {@code env} leads to: Lathe's and Claude Code's; every file's allow list must
     * admit a source, and every file's block list refuses.
     *
     * @throws ConfigException naming the file, line and key of an entry that is not a source object
     */
    public static MarketplacePolicy of(Map<String, String> env) {
        List<Path> files = new ArrayList<>(ManagedFiles.all(ManagedFiles.policyFile(env)).stream().filter(Files::isRegularFile).toList());
        ManagedFiles.claudeCodePolicy(env).ifPresent(files::add);
        List<Strict> strict = new ArrayList<>();
        List<Allowed> blocked = new ArrayList<>();
        List<String> setBy = new ArrayList<>();
        for (Path f : files) {
            LocatedJson doc;
            try {
                doc = LocatedJson.parse(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ConfigException(f.toString(), 0, "", "cannot read: " + e.getMessage());
            }
            if (doc.root().has("strictKnownMarketplaces")) {
                strict.add(new Strict(f.toString(), entries(doc, "strictKnownMarketplaces")));
                setBy.add(f.toString());
            }
            if (doc.root().has("blockedMarketplaces")) {
                blocked.addAll(entries(doc, "blockedMarketplaces"));
                setBy.add(f.toString());
            }
        }
        if (strict.isEmpty() && blocked.isEmpty()) return NONE;
        return new MarketplacePolicy(strict, blocked, String.join(", ", setBy.stream().distinct().toList()));
    }

    private static List<Allowed> entries(LocatedJson doc, String key) {
        JsonNode list = doc.root().get(key);
        if (!list.isArray()) throw new ConfigException(doc.source(), doc.lineOf(key), key, "expected an array of marketplace sources");
        List<Allowed> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String at = key + "[" + i + "]";
            String kind = e.path("source").asString("");
            String field = switch (kind) {
                case "github" -> "repo";
                case "git", "url" -> "url";
                case "directory", "path" -> "path";
                case "hostPattern" -> "hostPattern";
                default -> throw new ConfigException(doc.source(), doc.lineOf(at), at + ".source",
                        "expected github, git, url, directory or hostPattern, not '" + kind + "'");
            };
            String value = e.path(field).asString("");
            if (value.isBlank()) throw new ConfigException(doc.source(), doc.lineOf(at), at + "." + field, "missing");
            Optional<String> ref = e.has("ref") ? Optional.of(e.get("ref").asString("")) : Optional.empty();
            out.add(new Allowed(kind, value, ref, kind + ":" + value + ref.map(r -> "#" + r).orElse("")));
        }
        return out;
    }

    private static Pattern glob(String text) {
        StringBuilder re = new StringBuilder();
        for (String part : text.split("\\*", -1)) {
            if (!re.isEmpty()) re.append(".*");
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.toString());
    }
}
