package dev.lathe.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.permission.AutoPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code docs/auto-approval.md} prints the classifier's policy word for word: what users read is what the classifier is sent. */
class AutoApprovalDocTest {
    @Test
    void theDocumentHoldsThePolicyAsSent() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "auto-approval.md"));
        assertThat(doc).contains("```text\n" + AutoPolicy.TEXT.strip() + "\n```");
    }
}
