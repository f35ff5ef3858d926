package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One spend ledger (DESIGN §24): above the llm layer, a model request is sent only through the ledger's reservation
 * ({@code SpendLedger.Reservation.send}), which admitted it against the spend limits first. Any other call of
 * {@code Protocol.stream} — by call or method reference — is a request sent around the limits. Read from the sources
 * as the module table is; a call in a comment or a string does not count.
 */
class SpendLedgerRuleTest {
    /** A call of a {@code stream} method with arguments ({@code Arrays.stream(x)} and friends aside), or a reference to one. */
    static final Pattern STREAM_CALL = Pattern.compile("(?<!Arrays)(?<!StreamSupport)(?<!OpenedFile)\\.\\s*stream\\s*\\(\\s*[^)\\s]|\\b[a-z]\\w*(?:\\(\\))?\\s*::\\s*stream\\b");

    /** The modules whose code sends model requests through core (llm is the layer itself; bench measures it directly). */
    static final List<String> ABOVE_LLM = List.of("core", "server", "app", "tools", "term", "tui", "run", "acp", "mcp", "lsp", "client");

    /**
     * Where a {@code Protocol.stream} call is the ledger itself or passes an admitted request on. Each names why.
     */
    static final List<String> ALLOWED = List.of(
            // the one place: an admitted request goes out here
            "core/src/main/java/dev/lathe/core/budget/SpendLedger.java",
            // a Protocol that signs a request its caller's reservation already admitted, then hands it to the wire protocol
            "core/src/main/java/dev/lathe/core/subscription/SignedInProtocol.java");

    static List<WiringTest.Hit> requestsAroundTheLedger(Path root) {
        return ABOVE_LLM.stream().flatMap(m -> WiringTest.find(root, WiringTest.javaFiles(root.resolve(m + "/src/main/java")), STREAM_CALL).stream())
                .filter(hit -> !ALLOWED.contains(hit.file().toString().replace('\\', '/'))).toList();
    }

    @Test
    void everyModelRequestGoesThroughTheSpendLedger() {
        assertThat(requestsAroundTheLedger(ModuleBoundariesTest.repositoryRoot()))
                .as("a model request sent without the spend ledger: admit it (TurnBudget.admit / SpendLedger.admit) and send it with Reservation.send")
                .isEmpty();
    }

    @Test
    void findsARequestSentAroundTheLedger(@TempDir Path root) throws IOException {
        Path core = Files.createDirectories(root.resolve("core/src/main/java/x"));
        Files.writeString(core.resolve("Title.java"), """
                class Title {
                    Object a(dev.lathe.llm.Protocol p) { return p.stream(provider, request, sink, cancel); }
                    Object b(java.util.List<String> l) { return l.stream().count(); } // p.stream(provider) in a comment
                    Object c(dev.lathe.llm.Protocol p) { return java.util.Optional.of(p).map(q -> q::stream); }
                    Object d(String[] s) { return java.util.Arrays.stream(s); }
                }
                """);
        assertThat(requestsAroundTheLedger(root)).extracting(WiringTest.Hit::line).containsExactly(2, 4);
    }
}
