package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §26 "no header from a team user changes configuration", as a rule: the server reads a request's client
 * environment in one place, {@link ClientEnvironments}, which honours it only from the node's own user. A route that reads
 * the header itself, decodes one, or hands an environment to the API without going through it fails here.
 */
class ClientEnvironmentOnePlaceTest {
    private static final Path MAIN = Path.of("src/main/java/dev/lathe/server");

    private static final Pattern READS_HEADER = Pattern.compile("header\\(\\s*(dev\\.lathe\\.protocol\\.api\\.)?ClientEnvironment\\.HEADER"
            + "|getFirst\\(\\s*(dev\\.lathe\\.protocol\\.api\\.)?ClientEnvironment\\.HEADER|\"X-Lathe-Environment\"");
    private static final Pattern DECODES = Pattern.compile("ClientEnvironment(::|\\.)decode");
    private static final Pattern HANDS_ON = Pattern.compile("\\.withEnvironment\\(");
    private static final Map<Pattern, List<String>> ALLOWED = Map.of(
            READS_HEADER, List.of("http/ClientEnvironments.java"),
            DECODES, List.of("http/ClientEnvironments.java"),
            HANDS_ON, List.of("http/ClientEnvironments.java"));

    @Test
    void theServerTakesAClientEnvironmentInOnePlace() throws IOException {
        for (var rule : ALLOWED.entrySet()) {
            assertThat(filesMatching(rule.getKey())).as("only %s may match %s", rule.getValue(), rule.getKey()).isSubsetOf(rule.getValue());
        }
    }

    @Test
    void theRuleTestCanFail() throws IOException {
        // the one place matches each pattern itself: a pattern that found nothing would pass whatever the code did
        for (Pattern p : ALLOWED.keySet()) assertThat(filesMatching(p)).as(p.pattern()).contains("http/ClientEnvironments.java");
    }

    private static List<String> filesMatching(Pattern pattern) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    return pattern.matcher(Files.readString(f)).find();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(f -> MAIN.relativize(f).toString()).toList();
        }
    }
}
