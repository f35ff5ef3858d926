package dev.lathe.core.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.SandboxConfig;
import dev.lathe.core.sandbox.SandboxState;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The sandbox line of {@code lathe doctor} for each state, including those this machine (where bubblewrap works) cannot
 * show for real: the state comes from the same {@link SandboxState#of} reading the launcher uses, given a probe result.
 */
class CheckupTest {
    static final Path PROJECT = Path.of("/work/p");
    static final Optional<String> MISSING = Optional.of("bubblewrap (bwrap) is not installed; install it (e.g. apt-get install bubblewrap)");

    private static Checkup.Check line(SandboxConfig config, Optional<String> problem) {
        return Checkup.sandbox(config, SandboxState.of(config, () -> problem), PROJECT);
    }

    private static SandboxConfig config(SandboxConfig.Mode mode, SandboxConfig.Network network, List<String> writable) {
        return new SandboxConfig(mode, network, writable);
    }

    @Test
    void eachModeSaysWhatItMeansWithAndWithoutBubblewrap() {
        var off = new SandboxConfig.Network.Off();
        assertThat(line(config(SandboxConfig.Mode.AUTO, off, List.of()), Optional.empty()))
                .isEqualTo(new Checkup.Check("sandbox", Checkup.Status.OK, "auto (network off): commands run sandboxed with bubblewrap in /work/p",
                        Optional.empty()));

        Checkup.Check unsandboxed = line(config(SandboxConfig.Mode.AUTO, off, List.of()), MISSING);
        assertThat(unsandboxed.status()).isEqualTo(Checkup.Status.WARN);
        assertThat(unsandboxed.detail()).isEqualTo("auto (network off): bubblewrap unusable (" + MISSING.get() + "): commands run UNSANDBOXED in /work/p"
                + "; with --allow-all or in unattended work a command may write anywhere you can (file tools still cannot)");
        assertThat(unsandboxed.fix()).hasValueSatisfying(f -> assertThat(f).contains("\"sandbox\": \"off\""));

        Checkup.Check refused = line(config(SandboxConfig.Mode.ON, new SandboxConfig.Network.On(), List.of("~/.m2")), MISSING);
        assertThat(refused.status()).isEqualTo(Checkup.Status.FAIL);
        assertThat(refused.detail()).isEqualTo("on (network on, writable ~/.m2): bash refuses to run (" + MISSING.get() + ") in /work/p");

        assertThat(line(config(SandboxConfig.Mode.OFF, off, List.of()), MISSING).detail()).startsWith("off (network off): commands run unsandboxed");
        assertThat(line(config(SandboxConfig.Mode.ON, new SandboxConfig.Network.Hosts(List.of("github.com")), List.of()), Optional.empty()).detail())
                .contains("network github.com").contains("not filtered yet");
    }
}
