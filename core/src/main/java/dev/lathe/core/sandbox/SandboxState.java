package dev.lathe.core.sandbox;

import dev.lathe.core.config.SandboxConfig;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a {@code sandbox} setting means on this machine now (DESIGN §10): the one reading both {@link SandboxLauncher}
 * (how it runs a command) and {@code lathe doctor} (what it reports) use, so the two cannot disagree.
 */
public sealed interface SandboxState {
    /** {@code off}: commands run unsandboxed, as the user asked. */
    record Off() implements SandboxState {}

    /** {@code auto} or {@code on}, and bubblewrap works: commands run in the sandbox. */
    record Sandboxed() implements SandboxState {}

    /** {@code auto}, and bubblewrap does not work ({@code problem}, with its fix): commands run unsandboxed. */
    record Unsandboxed(String problem) implements SandboxState {}

    /** {@code on}, and bubblewrap does not work ({@code problem}, with its fix): bash refuses to run commands. */
    record Refused(String problem) implements SandboxState {}

    /** {@code config}'s state here, probing bubblewrap (once per process) unless the sandbox is off. */
    static SandboxState of(SandboxConfig config) {
        return of(config, Bubblewrap::problem);
    }

    /** {@code config}'s state where {@code bubblewrap} tells why bubblewrap does not work (empty when it does). */
    static SandboxState of(SandboxConfig config, Supplier<Optional<String>> bubblewrap) {
        return switch (config.mode()) {
            case OFF -> new Off();
            case ON -> bubblewrap.get().<SandboxState>map(Refused::new).orElseGet(Sandboxed::new);
            case AUTO -> bubblewrap.get().<SandboxState>map(Unsandboxed::new).orElseGet(Sandboxed::new);
        };
    }

    /**
     * Why bubblewrap does not work here, with the fix (not installed, user namespaces off); empty when it works. Probed
     * once per process by running the smallest sandbox.
     */
    static Optional<String> bubblewrapProblem() {
        return Bubblewrap.problem();
    }
}
