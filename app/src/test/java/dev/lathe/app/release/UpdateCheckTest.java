package dev.lathe.app.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal UI's "new version" notice: its gates, read without waiting for any clock (the time is passed in), and
 * the one request a day it makes to a release site on loopback.
 */
class UpdateCheckTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @TempDir Path dir;
    private ReleaseServer site;
    private ReleaseChannel channel;
    private Path state;
    private final AtomicInteger configReads = new AtomicInteger();

    @BeforeEach
    void site() throws Exception {
        site = new ReleaseServer().latest("1.2.0");
        channel = ReleaseChannel.of(Map.of("LATHE_DOWNLOAD_URL", site.base()));
        state = UpdateCheck.stateFile(dir.resolve("state/lathe"));
    }

    @AfterEach
    void stop() { site.close(); }

    private Supplier<String> config(String json) {
        return () -> {
            configReads.incrementAndGet();
            return json;
        };
    }

    private UpdateCheck check(Installation installation, String running, Map<String, String> env) {
        return new UpdateCheck(installation, ReleaseVersion.parse(running), state, env);
    }

    private UpdateCheck scriptInstall(String running) {
        return check(new Installation.Script(dir.resolve("p/lib/lathe/" + running), dir.resolve("p")), running, Map.of());
    }

    @Test
    void aNewerReleaseIsToldOnceADay() throws Exception {
        var check = scriptInstall("1.1.0");

        assertThat(check.notice(config("{}"), channel, NOW)).contains("new version 1.2.0 available (lathe upgrade)");
        assertThat(Files.readString(state).strip()).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(check.notice(config("{}"), channel, NOW.plus(Duration.ofHours(23)))).isEmpty();
        assertThat(site.requests).hasSize(1);

        assertThat(check.notice(config("{}"), channel, NOW.plus(Duration.ofHours(24)))).contains("new version 1.2.0 available (lathe upgrade)");
        assertThat(site.requests).hasSize(2);
    }

    @Test
    void anUpToDateCopyIsToldNothingAndAskedAgainOnlyTomorrow() {
        var check = scriptInstall("1.2.0");

        assertThat(check.notice(config("{}"), channel, NOW)).isEmpty();
        assertThat(check.notice(config("{}"), channel, NOW.plusSeconds(60))).isEmpty();
        assertThat(site.requests).hasSize(1);
    }

    @Test
    void aFailedCheckIsTriedAgainInAnHourNotADay() throws Exception {
        site.close();
        var check = scriptInstall("1.1.0");

        assertThat(check.notice(config("{}"), channel, NOW)).isEmpty();
        // offline once must not hide a new release for a day (issue 82), nor ask at every start
        assertThat(UpdateCheck.due(check.lastCheck(), NOW.plus(Duration.ofMinutes(30)))).isFalse();
        assertThat(UpdateCheck.due(check.lastCheck(), NOW.plus(Duration.ofHours(1)))).isTrue();
    }

    @Test
    void dueAfterADayOrWhenTheClockWentBack() {
        assertThat(UpdateCheck.due(Optional.empty(), NOW)).isTrue();
        assertThat(UpdateCheck.due(Optional.of(NOW.minus(Duration.ofHours(23))), NOW)).isFalse();
        assertThat(UpdateCheck.due(Optional.of(NOW.minus(Duration.ofDays(1))), NOW)).isTrue();
        assertThat(UpdateCheck.due(Optional.of(NOW.plus(Duration.ofHours(1))), NOW)).isTrue();
    }

    @Test
    void autoupdateFalseTurnsItOffWithoutARequest() {
        assertThat(scriptInstall("1.1.0").notice(config("{\"model\": \"x/y\", \"autoupdate\": false}"), channel, NOW)).isEmpty();
        assertThat(site.requests).isEmpty();
        assertThat(scriptInstall("1.1.0").notice(config("{\"autoupdate\": true}"), channel, NOW)).isPresent();
    }

    @Test
    void localOnlyModeTurnsItOffWithoutARequest() {
        assertThat(scriptInstall("1.1.0").notice(config("{\"network\": \"local\"}"), channel, NOW)).isEmpty();
        var byEnvironment = check(new Installation.Npm(dir), "1.1.0", Map.of("LATHE_NETWORK", "local"));
        assertThat(byEnvironment.notice(config("{}"), channel, NOW)).isEmpty();
        assertThat(site.requests).isEmpty();
        assertThat(Files.exists(state)).isFalse();
    }

    @Test
    void aCiJobIsNeverToldNorAsked() {
        assertThat(check(new Installation.Npm(dir), "1.1.0", Map.of("CI", "true")).notice(config("{}"), channel, NOW)).isEmpty();
        assertThat(site.requests).isEmpty();
        assertThat(configReads).hasValue(0);
        assertThat(check(new Installation.Npm(dir), "1.1.0", Map.of("CI", "false")).notice(config("{}"), channel, NOW)).isPresent();
    }

    @Test
    void aCheckoutABareJarAndADevelopmentBuildAreNeverToldNorAsked() {
        assertThat(check(new Installation.Checkout(dir), "1.1.0", Map.of()).notice(config("{}"), channel, NOW)).isEmpty();
        assertThat(check(new Installation.Jar(Optional.empty()), "1.1.0", Map.of()).notice(config("{}"), channel, NOW)).isEmpty();
        assertThat(check(new Installation.Npm(dir), "dev", Map.of()).notice(config("{}"), channel, NOW)).isEmpty();
        assertThat(site.requests).isEmpty();
        assertThat(configReads).hasValue(0);
    }

    @Test
    void npmAndAnArchiveUnpackedByHandAreTold() {
        assertThat(check(new Installation.Npm(dir), "1.1.0", Map.of()).notice(config("{}"), channel, NOW)).isPresent();
        Path otherState = dir.resolve("other-state");
        var unpacked = new UpdateCheck(new Installation.Unpacked(dir), ReleaseVersion.parse("1.1.0"), UpdateCheck.stateFile(otherState), Map.of());
        assertThat(unpacked.notice(config("{}"), channel, NOW)).isPresent();
    }

    @Test
    void onlyTheTerminalUiAsksForTheNotice() throws Exception {
        // never lathe run (any format), lathe serve or a console client: the one caller is the terminal UI's start
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("app/src/main/java"))) root = root.getParent();
        Path main = root.resolve("app/src/main/java/dev/lathe/app");
        try (var sources = Files.walk(main)) {
            var callers = sources.filter(p -> p.toString().endsWith(".java") && !p.startsWith(main.resolve("release"))).filter(p -> {
                try {
                    return Files.readString(p).contains("UpdateCheck");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(p -> p.getFileName().toString()).toList();
            assertThat(callers).containsExactly("AttachCommand.java");
        }
        String attach = Files.readString(main.resolve("AttachCommand.java"));
        assertThat(attach.indexOf("newVersionNotice(api")).as("passed to the terminal UI's options").isGreaterThan(attach.indexOf("TerminalUi.run("));
    }
}
