package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MistypedCommandTest {
    private final List<String> commands = MistypedCommand.commands();

    @Test
    void theCommandsAreReadFromMain() {
        assertThat(commands).contains("run", "sessions", "stats", "stop", "auth", "doctor", "trust");
    }

    @Test
    void aTypoNamesTheCommandItMisspells() {
        assertThat(MistypedCommand.meant("sesions", commands)).contains("sessions");
        assertThat(MistypedCommand.meant("docter", commands)).contains("doctor");
        assertThat(MistypedCommand.meant("sessoins", commands)).as("two letters swapped").contains("sessions");
        assertThat(MistypedCommand.meant("attac", commands)).contains("attach");
        assertThat(MistypedCommand.meant("sess", commands)).as("a start").contains("sessions");
    }

    @Test
    void aCommandAnOptionAFolderOrAnUnrelatedWordIsNoTypo() {
        assertThat(MistypedCommand.meant("sessions", commands)).isEmpty();
        assertThat(MistypedCommand.meant("--version", commands)).isEmpty();
        assertThat(MistypedCommand.meant("src", commands)).as("a folder of the working directory").isEmpty();
        assertThat(MistypedCommand.meant("refactor", commands)).isEmpty();
        assertThat(MistypedCommand.meant("fix the bug", commands)).isEmpty();
    }
}
