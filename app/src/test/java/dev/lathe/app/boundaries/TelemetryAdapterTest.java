package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry SDK is named in {@code core.telemetry.otel} alone (DESIGN §29): what decides and listens
 * ({@code core.telemetry}) and everything else names none of its classes, so a server without telemetry never loads one
 * (TelemetryIT checks the loaded classes of a real run). Read from the sources as the module table is.
 */
class TelemetryAdapterTest {
    static final String ADAPTER = "core/src/main/java/dev/lathe/core/telemetry/otel/";

    static List<String> violations(Path root) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path m : modules.sorted().toList()) {
                if (ModuleBoundariesTest.TEST_ONLY.contains(m.getFileName().toString())) continue;
                for (Path source : WiringTest.javaFiles(m.resolve("src/main/java")).sorted().toList()) {
                    String rel = root.relativize(source).toString().replace('\\', '/');
                    if (rel.startsWith(ADAPTER)) continue;
                    if (JavaText.codeOnly(Files.readString(source)).contains("io.opentelemetry")) out.add(rel);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Test
    void onlyTheAdapterNamesTheSdk() {
        assertThat(violations(ModuleBoundariesTest.repositoryRoot())).as("OpenTelemetry named outside " + ADAPTER).isEmpty();
    }
}
