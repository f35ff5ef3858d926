package dev.lathe.run.github;

import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.wire.WireJson;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The {@code "github"} object of the merged configuration (validated where config is loaded): the trigger a comment
 * must hold ({@code /lathe} by default), the bots that may trigger a run without a permission of their own, the model,
 * and whether a pull request gets a review when it is opened or updated.
 */
public record GitHubSettings(String trigger, Set<String> allowedBots, Optional<String> model, boolean reviewOnOpen) {
    public static final String DEFAULT_TRIGGER = "/lathe";

    public GitHubSettings {
        allowedBots = Set.copyOf(allowedBots);
    }

    /** The settings of {@code config} ({@code LatheApi.config}); a missing key takes its default. */
    public static GitHubSettings of(RawJson config) {
        JsonNode github = WireJson.mapper().readTree(config.json()).path("github");
        Set<String> bots = new LinkedHashSet<>();
        for (JsonNode bot : github.path("allowedBots")) bots.add(bareBot(bot.asString("")));
        String trigger = github.path("trigger").asString("").strip();
        return new GitHubSettings(trigger.isEmpty() ? DEFAULT_TRIGGER : trigger, bots,
                Optional.of(github.path("model").asString("")).filter(m -> !m.isBlank()), github.path("reviewOnOpen").asBoolean(false));
    }

    /** Whether {@code login} is a bot the config names ({@code renovate} and {@code renovate[bot]} are the same bot). */
    public boolean allows(String login) { return allowedBots.contains(bareBot(login)); }

    /** Whether {@code text} holds the trigger as a word of its own: {@code /lathe} or {@code /lathe fix}, not {@code /lathe-x}. */
    public boolean triggeredBy(String text) {
        int at = text.indexOf(trigger);
        while (at >= 0) {
            int end = at + trigger.length();
            boolean startsWord = at == 0 || Character.isWhitespace(text.charAt(at - 1));
            boolean endsWord = end == text.length() || Character.isWhitespace(text.charAt(end)) || ",.:;!?".indexOf(text.charAt(end)) >= 0;
            if (startsWord && endsWord) return true;
            at = text.indexOf(trigger, at + 1);
        }
        return false;
    }

    private static String bareBot(String login) {
        String l = login.strip().toLowerCase(Locale.ROOT);
        return l.endsWith("[bot]") ? l.substring(0, l.length() - 5) : l;
    }
}
