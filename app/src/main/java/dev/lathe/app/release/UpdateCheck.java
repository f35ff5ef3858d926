package dev.lathe.app.release;

import dev.lathe.app.CiVariable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The terminal UI's quiet "new version V available (lathe upgrade)" line (DESIGN §25): at most one check a day,
 * remembered in the state folder ({@code update-check}, the time of the last check) before the check is made, so a
 * failing or slow network is asked once a day too. Off for a checkout or a bare jar (their updates are not releases),
 * with {@code "autoupdate": false}, in local-only mode ({@code "network": "local"} or {@code LATHE_NETWORK=local}), and in
 * a CI job ({@code CI} set: no one reads the line there).
 * Never in {@code lathe run}: only the terminal UI asks for it.
 */
public final class UpdateCheck {
    /** How long one check holds. */
    static final Duration INTERVAL = Duration.ofDays(1);
    /** After a failed check, the next is due this much later. */
    static final Duration RETRY = Duration.ofHours(1);

    private final Installation installation;
    private final Optional<ReleaseVersion> running;
    private final Path stateFile;
    private final Map<String, String> env;

    /**
     * @param running this copy's version (empty for a development build, which is never told about releases)
     * @param stateFile where the time of the last check is kept
     */
    public UpdateCheck(Installation installation, Optional<ReleaseVersion> running, Path stateFile, Map<String, String> env) {
        this.installation = installation;
        this.running = running;
        this.stateFile = stateFile;
        this.env = Map.copyOf(env);
    }

    /** The state file in Lathe's state folder ({@code folder} holds {@code server.json}). */
    public static Path stateFile(Path folder) { return folder.resolve("update-check"); }

    /** Whether this copy is one a release updates, with a release version, outside local-only mode's environment. */
    boolean applies() {
        boolean release = switch (installation) {
            case Installation.Script _, Installation.Unpacked _, Installation.Npm _, Installation.Image _ -> true;
            case Installation.Checkout _, Installation.Jar _ -> false;
        };
        return release && running.isPresent() && !"local".equals(env.get("LATHE_NETWORK")) && !CiVariable.isSet(env);
    }

    /** Whether {@code configJson} (the merged config, as written) lets the notice be shown: not {@code autoupdate} false, not local-only. */
    static boolean allowedBy(String configJson) {
        JsonNode config;
        try {
            config = JsonMapper.builder().build().readTree(configJson);
        } catch (RuntimeException e) {
            return false; // a config that does not parse is reported where it is loaded; no network meanwhile
        }
        JsonNode autoupdate = config.get("autoupdate");
        JsonNode network = config.get("network");
        return !(autoupdate != null && autoupdate.isBoolean() && !autoupdate.asBoolean())
                && !(network != null && network.isString() && network.asString().equals("local"));
    }

    /** Whether a day has passed since {@code last} (a last check in the future, a clock set back, counts as none). */
    static boolean due(Optional<Instant> last, Instant now) {
        return last.isEmpty() || last.get().isAfter(now) || !last.get().plus(INTERVAL).isAfter(now);
    }

    /**
     * The notice's line when it is enabled, due and the newest release at {@code channel} is newer than this copy;
     * empty otherwise, and on any failure (the UI says nothing about a network it was not asked to use).
     */
    public Optional<String> notice(Supplier<String> configJson, ReleaseChannel channel, Instant now) {
        // the cheap gates first: a checkout (every test's copy) asks neither the server nor the network
        if (!applies() || !due(lastCheck(), now) || !allowedBy(configJson.get())) return Optional.empty();
        if (!remember(now)) return Optional.empty(); // a check not remembered would be made at every start
        try {
            ReleaseVersion newest = channel.newest();
            return newest.newerThan(running.orElseThrow())
                    ? Optional.of("new version " + newest + " available (lathe upgrade)")
                    : Optional.empty();
        } catch (IOException e) {
            // offline, or the site did not answer: due again in an hour, not a day, so a new release is not hidden for a
            // day by one failed look (issue 82); still not at every start
            remember(now.minus(INTERVAL).plus(RETRY));
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    Optional<Instant> lastCheck() {
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(Files.readString(stateFile, StandardCharsets.US_ASCII).strip())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private boolean remember(Instant now) {
        try {
            Files.createDirectories(stateFile.getParent());
            Path next = stateFile.resolveSibling(stateFile.getFileName() + ".next");
            Files.writeString(next, Long.toString(now.getEpochSecond()), StandardCharsets.US_ASCII);
            Files.move(next, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
