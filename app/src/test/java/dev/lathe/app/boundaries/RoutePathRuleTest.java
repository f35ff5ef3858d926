package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.ApiRoute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §24 "Every route declared once", the client half: a request's path comes from {@link ApiRoute} (Java:
 * {@code route.path(values)}; the web page: a constant of the server's {@code /js/api-routes.js} in
 * {@code api(ROUTE, {params})}), never from a string written in the client. Fails on a string literal that starts with
 * a segment of a declared route ({@code "/sessions/"}, {@code "/prompt"}, {@code `/find/files?…`}) in the Java client
 * and the command line's main code and in the web UI's scripts, on an {@code api(…)} call whose first argument is a
 * string, and on a {@code fetch} or {@code EventSource} outside the one file that makes each. The server side (every
 * route bound exactly once, every route a client names served) is {@code RouteTableTest}.
 */
class RoutePathRuleTest {
    /** The Java main code that sends requests to the API. */
    static final List<String> JAVA_CLIENTS = List.of("client/src/main/java", "app/src/main/java");

    /** The web UI's scripts. */
    static final String WEB = "server/src/main/resources/web";

    /** A string literal (Java or JavaScript quotes) that starts with {@code /} and a literal segment of a declared route. */
    static final Pattern ROUTE_LITERAL = Pattern.compile("[\"'`]/(" + String.join("|", routeSegments()) + ")(?=[/?\"'`$])");

    /** The web client's call with a written method and path: {@code api('GET', '/x')}, {@code api(`/x`)}. */
    static final Pattern API_WITH_STRING = Pattern.compile("\\bapi\\(\\s*[\"'`]");

    /** The browser's own requests, each allowed in one file: api.js is the one fetch, live.js the one event stream. */
    static final Map<Pattern, String> ONE_FILE = Map.of(
            Pattern.compile("\\bfetch\\s*\\("), "js/api.js",
            Pattern.compile("\\bnew\\s+EventSource\\s*\\("), "js/live.js");

    /** Every literal segment of every template: {@code sessions}, {@code prompt}, {@code files}, … */
    static List<String> routeSegments() {
        return Arrays.stream(ApiRoute.values()).flatMap(r -> Arrays.stream(r.template().substring(1).split("/")))
                .filter(s -> !s.startsWith("{")).map(Pattern::quote).collect(Collectors.toCollection(TreeSet::new)).stream().toList();
    }

    record Hit(Path file, int line, String text) {
        @Override
        public String toString() { return file + ":" + line + ": " + text.strip(); }
    }

    @Test
    void theJavaClientsWriteNoPathOfTheirOwn() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        assertThat(javaHits(root)).as("paths written by hand in client code: build them from ApiRoute (route.path(values))").isEmpty();
    }

    @Test
    void theWebClientNamesARouteOfTheTableInEveryCall() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        assertThat(files(root.resolve(WEB), ".js")).as("the web UI's scripts").hasSizeGreaterThan(10);
        assertThat(webHits(root)).as("paths written by hand in the web UI: api(ROUTE, {params, query}) with a constant of api-routes.js").isEmpty();
    }

    @Test
    void findsAPathWrittenAnywhereAroundTheTable(@TempDir Path root) throws IOException {
        Path client = Files.createDirectories(root.resolve("client/src/main/java/dev/lathe/client"));
        Files.writeString(client.resolve("Calls.java"), """
                class Calls {
                    String a(String id) { return "/sessions/" + id + "/prompt"; }
                    String b() { return "/health"; }
                    String c(String id) { return base + id + "/abort"; }
                    String d() { return "/dev/null"; } // "/sessions" in a comment does not count
                    String e() { return ApiRoute.SESSION_PROMPT.path(id); }
                }
                """);
        Path js = Files.createDirectories(root.resolve(WEB + "/js/session"));
        Files.writeString(js.resolve("x.js"), """
                api('GET', '/board');
                api(`/sessions/${id}/fork`, {body});
                const url = `/find/files?query=${q}`;
                fetch('/me');
                api(BOARD);
                // api('GET', '/board') in a comment
                const other = '/vendor/lit-html/lit-html.js';
                """);
        Files.writeString(root.resolve(WEB + "/js/live.js"), "const es = new EventSource(EVENTS.template);\n");
        Files.writeString(root.resolve(WEB + "/js/api.js"), "const r = await fetch(url, init);\n");

        assertThat(javaHits(root)).extracting(Hit::line).containsExactly(2, 3, 4);
        assertThat(webHits(root)).extracting(h -> h.file().getFileName() + ":" + h.line())
                .containsExactly("x.js:1", "x.js:2", "x.js:3", "x.js:4");
    }

    static List<Hit> javaHits(Path root) {
        return JAVA_CLIENTS.stream().flatMap(d -> files(root.resolve(d), ".java").stream())
                .flatMap(f -> matching(root, f, ROUTE_LITERAL)).sorted(java.util.Comparator.comparing(Hit::toString)).toList();
    }

    static List<Hit> webHits(Path root) {
        Path web = root.resolve(WEB);
        return files(web, ".js").stream().flatMap(f -> {
            String rel = web.relativize(f).toString().replace('\\', '/');
            Stream<Hit> own = Stream.concat(matching(root, f, ROUTE_LITERAL), matching(root, f, API_WITH_STRING));
            Stream<Hit> around = ONE_FILE.entrySet().stream().filter(e -> !e.getValue().equals(rel)).flatMap(e -> matching(root, f, e.getKey()));
            return Stream.concat(own, around);
        }).distinct().sorted(java.util.Comparator.comparing(Hit::toString)).toList();
    }

    /** Lines of {@code file} that {@code pattern} finds, comment lines left out. */
    static Stream<Hit> matching(Path root, Path file, Pattern pattern) {
        String[] lines = read(file).split("\n", -1);
        return IntStream.range(0, lines.length).filter(i -> {
            String code = withoutComment(lines[i]);
            return pattern.matcher(code).find();
        }).mapToObj(i -> new Hit(root.relativize(file), i + 1, lines[i]));
    }

    /** The line without a comment that fills it or ends it ({@code //} outside a string). */
    static String withoutComment(String line) {
        String trimmed = line.strip();
        if (trimmed.startsWith("//") || trimmed.startsWith("*") || trimmed.startsWith("/*")) return "";
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'' || c == '`') {
                quote = c;
            } else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                return line.substring(0, i);
            }
        }
        return line;
    }

    static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(f -> f.toString().endsWith(suffix) && Files.isRegularFile(f)).sorted().toList();
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
