package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.event.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §29 "cover every route and event type": the checked-in SDKs, read as files, against the route table
 * ({@link ApiRoute}) and the events ({@link Event}) themselves, not against the generator, so a generator that drops a
 * route or an event fails here even when its output is checked in.
 */
class SdkCoverageTest {
    @Test
    void everyRouteHasAMethodInBothSdks() throws IOException {
        String tsTypes = read(TypeScriptSdk.TYPES);
        String tsClient = read(TypeScriptSdk.CLIENT);
        String pyTypes = read(PythonSdk.TYPES);
        String pyClient = read(PythonSdk.CLIENT);
        List<String> missing = new ArrayList<>();
        for (ApiRoute route : ApiRoute.values()) {
            String name = route.name();
            String where = route.method() + " " + route.template() + " (" + name + ")";
            if (!tsTypes.contains("  " + name + ": { method: \"" + route.method() + "\", template: \"" + route.template() + "\" },")) {
                missing.add(where + " in the TypeScript route table");
            }
            if (!tsClient.contains("  " + SdkModel.camel(name) + "(") || !tsClient.contains("(ROUTES." + name + ",")) {
                missing.add(where + " as LatheClient." + SdkModel.camel(name) + " (TypeScript)");
            }
            if (!pyTypes.contains("    \"" + name + "\": (\"" + route.method() + "\", \"" + route.template() + "\"),")) {
                missing.add(where + " in the Python route table");
            }
            if (!pyClient.contains("    def " + PythonSdk.snake(name) + "(") || !pyClient.contains("(ROUTES[\"" + name + "\"],")) {
                missing.add(where + " as Client." + PythonSdk.snake(name) + " (Python)");
            }
        }
        assertThat(missing).as("routes an SDK lacks (run bin/sdk)").isEmpty();
    }

    @Test
    void everyEventTypeIsTypedInBothSdks() throws IOException {
        String tsTypes = read(TypeScriptSdk.TYPES);
        String pyTypes = read(PythonSdk.TYPES);
        List<String> missing = new ArrayList<>();
        JsonSubTypes types = Event.class.getAnnotation(JsonSubTypes.class);
        assertThat(types.value()).hasSizeGreaterThan(20);
        for (JsonSubTypes.Type type : types.value()) {
            String name = type.name();
            String schema = "Event" + type.value().getSimpleName();
            if (!tsTypes.contains("export interface " + schema + " {\n  type: \"" + name + "\";")) missing.add(name + " as a TypeScript interface");
            if (!tsTypes.contains("\n  \"" + name + "\",\n")) missing.add(name + " in the TypeScript EVENT_TYPES");
            if (!pyTypes.contains(schema + " = TypedDict(\"" + schema + "\", {\n    \"type\": Literal[\"" + name + "\"],")) {
                missing.add(name + " as a Python TypedDict");
            }
            if (!pyTypes.contains("\n    \"" + name + "\",\n")) missing.add(name + " in the Python EVENT_TYPES");
        }
        assertThat(missing).as("event types an SDK lacks (run bin/sdk)").isEmpty();
    }

    private static String read(String file) throws IOException {
        return Files.readString(SdkSourcesTest.ROOT.resolve(file), StandardCharsets.UTF_8);
    }
}
