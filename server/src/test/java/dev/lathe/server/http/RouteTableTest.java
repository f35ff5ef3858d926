package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.ApiRoute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §24 "Every route declared once": {@link ApiRoute} is the one declaration of every route's method and path.
 * The server binds each exactly once ({@link Router#add} takes nothing else), the web client gets the same table as
 * {@code /js/api-routes.js}, and every route the Java clients (client, app) name is one the server answers with that
 * method. The rule half about hand-written paths in client code is {@code RoutePathRuleTest} (app).
 */
class RouteTableTest {
    /** A route named in code: {@code ApiRoute.NAME}. */
    private static final Pattern NAMED = Pattern.compile("\\bApiRoute\\s*\\.\\s*([A-Z][A-Z0-9_]*)\\b");

    private final ServerHarness h = new ServerHarness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void everyDeclaredRouteIsBoundExactlyOnce() {
        Map<ApiRoute, Long> bound = h.server.routes().stream().collect(Collectors.groupingBy(Router.Route::api, () -> new java.util.EnumMap<>(ApiRoute.class),
                Collectors.counting()));
        var unbound = new TreeSet<String>();
        for (ApiRoute route : ApiRoute.values()) if (!bound.containsKey(route)) unbound.add(route + " " + route.method() + " " + route.template());
        assertThat(unbound).as("declared in ApiRoute, bound by no Router.add").isEmpty();
        assertThat(bound).as("bound more than once").allSatisfy((route, times) -> assertThat(times).as(route.name()).isEqualTo(1L));
    }

    @Test
    void noTwoDeclaredRoutesShareAMethodAndPath() {
        Map<String, List<ApiRoute>> byShape = Arrays.stream(ApiRoute.values())
                .collect(Collectors.groupingBy(r -> r.method() + " " + r.template().replaceAll("\\{[^}]*}", "{}"), TreeMap::new, Collectors.toList()));
        assertThat(byShape).allSatisfy((shape, routes) -> assertThat(routes).as(shape).hasSize(1));
    }

    @Test
    void theWebClientGetsTheSameTableAsAModule() {
        var module = h.send(h.anonymous(RouteModule.PATH));
        assertThat(module.statusCode()).isEqualTo(200);
        assertThat(module.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(module.headers().firstValue("ETag")).isPresent();
        for (ApiRoute route : ApiRoute.values()) {
            assertThat(module.body()).contains("export const " + route.name() + " = Object.freeze({method: '" + route.method()
                    + "', template: '" + route.template() + "'});");
        }
        var again = h.send(h.anonymous(RouteModule.PATH).header("If-None-Match", module.headers().firstValue("ETag").orElseThrow()));
        assertThat(again.statusCode()).as("revalidated, not sent again").isEqualTo(304);
    }

    /** Every route the Java client and the command line name exists in the server's table with its method. */
    @Test
    void everyRouteTheJavaClientsUseIsOneTheServerAnswers() {
        Map<String, Router.Route> served = h.server.routes().stream().collect(Collectors.toMap(r -> r.api().name(), Function.identity()));
        Path root = Path.of("..").toAbsolutePath().normalize();
        var used = new TreeSet<String>();
        for (String module : List.of("client", "app", "tui", "run", "acp")) {
            for (Path file : javaFiles(root.resolve(module + "/src/main/java"))) {
                Matcher m = NAMED.matcher(read(file));
                while (m.find()) if (!m.group(1).equals("Environment")) used.add(m.group(1));
            }
        }
        assertThat(used).as("routes named by the Java client").contains("SESSION_PROMPT", "HEALTH", "WORKTREE_END", "USER_ADD");
        for (String name : used) {
            assertThat(served).as("ApiRoute." + name + " used by a client").containsKey(name);
            ApiRoute declared = ApiRoute.valueOf(name);
            assertThat(served.get(name).method()).as(name).isEqualTo(declared.method());
            assertThat(served.get(name).template()).as(name).isEqualTo(declared.template());
        }
    }

    private static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(f -> f.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
