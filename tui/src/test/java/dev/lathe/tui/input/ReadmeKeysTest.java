package dev.lathe.tui.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's key table is the one the code has: a changed default or a new action fails here until it is updated. */
class ReadmeKeysTest {
    @Test
    void theReadmeListsTheDefaultKeys() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).contains(Keybindings.defaultsTable().strip());
    }
}
