package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** A title cut short at a secret does not carry the secret's start into another harness's storage. */
class ExportedTitleTest {
    private static final Set<String> SECRETS = Set.of("sk-fake-key-abcdef12");

    @Test
    void aSecretWholeOrCutIsMasked() {
        assertThat(SessionExports.title("deploy with sk-fake-key-abcdef12 now", SECRETS)).isEqualTo("deploy with *** now");
        assertThat(SessionExports.title("[scenario:tools] Make a note file. (key sk-fake-key-abcde...", SECRETS))
                .isEqualTo("[scenario:tools] Make a note file. (key ***...");
        assertThat(SessionExports.title("a title that was cut...", SECRETS)).isEqualTo("a title that was cut...");
        assertThat(SessionExports.title("plain", SECRETS)).isEqualTo("plain");
    }
}
