package dev.lathe.core.claudeplugin;

import dev.lathe.core.config.ConfigText;
import dev.lathe.core.config.LocatedJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The marketplaces a project suggests in Claude Code's {@code extraKnownMarketplaces} ({@code .claude/settings.json}),
 * as the {@code lathe plugin marketplace add} argument each would take (DESIGN §33): never added by reading the file —
 * a project can only suggest one, which the user adds by hand after reading it ({@code lathe doctor} names them).
 */
public final class SuggestedMarketplaces {
    private SuggestedMarketplaces() {}

    /** One suggestion: the name the project gives it, and what to type after {@code lathe plugin marketplace add}. */
    public record Suggestion(String name, String source) {}

    /** The suggestions of the project at {@code root}; none when its settings do not read. */
    public static List<Suggestion> of(Path root) {
        List<Suggestion> out = new ArrayList<>();
        for (String name : List.of(".claude/settings.json", ".claude/settings.local.json")) {
            Path file = root.resolve(name);
            Optional<String> text;
            try {
                text = ConfigText.project(root, file);
            } catch (IOException | RuntimeException e) {
                continue; // doctor's config check names a file that does not read
            }
            if (text.isEmpty()) continue;
            JsonNode extra;
            try {
                extra = LocatedJson.parse(file.toString(), text.get()).root().path("extraKnownMarketplaces");
            } catch (RuntimeException e) {
                continue;
            }
            for (String market : extra.propertyNames()) {
                JsonNode s = extra.get(market).path("source");
                String ref = s.path("ref").asString("");
                String at = switch (s.path("source").asString("")) {
                    case "github" -> s.path("repo").asString("");
                    case "git", "url" -> s.path("url").asString("");
                    case "directory" -> s.path("path").asString("");
                    default -> "";
                };
                if (!at.isBlank()) out.add(new Suggestion(market, at + (ref.isBlank() ? "" : "#" + ref)));
            }
        }
        return out;
    }
}
