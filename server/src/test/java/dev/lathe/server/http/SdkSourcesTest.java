package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * DESIGN §29: the SDKs' generated sources ({@code sdk/typescript/src/{types,client}.ts},
 * {@code sdk/python/lathe_sdk/{types,client}.py}) are exactly what the generator makes of the server's own route
 * table today. A route, a field or an event added without running the generator again fails here. With
 * {@code -Dlathe.sdk.write=true} ({@code bin/sdk}) it writes them instead: the one command that regenerates both SDKs.
 */
class SdkSourcesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Every generated file, from the document a real server on loopback serves. */
    static Map<String, String> generated() {
        try (var h = new ServerHarness()) {
            var response = h.send(h.request("/doc"));
            assertThat(response.statusCode()).isEqualTo(200);
            SdkModel model = SdkModel.of(WireJson.read(response.body(), JsonNode.class));
            var files = new TreeMap<String, String>();
            files.putAll(TypeScriptSdk.files(model));
            files.putAll(PythonSdk.files(model));
            return files;
        }
    }

    @Test
    void theCheckedInSourcesAreTheGeneratorsOutput() throws IOException {
        Map<String, String> files = generated();
        assertThat(files).hasSize(4);
        boolean write = Boolean.getBoolean("lathe.sdk.write");
        for (var file : files.entrySet()) {
            Path target = ROOT.resolve(file.getKey());
            if (write) {
                Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
                continue;
            }
            assertThat(Files.isRegularFile(target)).as(file.getKey() + " exists (run bin/sdk)").isTrue();
            assertThat(firstDifference(Files.readString(target, StandardCharsets.UTF_8), file.getValue()))
                    .as(file.getKey() + " is what the generator makes of the route table today: run bin/sdk and commit the result")
                    .isEmpty();
        }
    }

    /** Empty when equal, else the first line that differs, as checked in and as generated. */
    private static String firstDifference(String checkedIn, String generated) {
        List<String> a = checkedIn.lines().toList();
        List<String> b = generated.lines().toList();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String was = i < a.size() ? a.get(i) : "(the end)";
            String now = i < b.size() ? b.get(i) : "(the end)";
            if (!was.equals(now)) return "line " + (i + 1) + ": checked in\n  " + was + "\ngenerated\n  " + now;
        }
        return checkedIn.equals(generated) ? "" : "the line ends differ";
    }
}
