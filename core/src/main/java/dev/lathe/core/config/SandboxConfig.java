package dev.lathe.core.config;

import dev.lathe.tools.ProcessLauncher;
import java.util.List;

/**
 * The {@code sandbox} key (DESIGN §10): {@code "auto" | "on" | "off"} or {@code {mode, network, writable, maxProcesses}}.
 * {@code writable} are extra folders (absolute, or relative to the project) a sandboxed command may write besides the
 * project and its private temp folder. {@code maxProcesses} is how many processes one command may have at once before
 * Lathe kills all of them (a fork bomb); it holds in every mode, sandboxed or not.
 */
public record SandboxConfig(Mode mode, Network network, List<String> writable, int maxProcesses) {
    public SandboxConfig {
        writable = List.copyOf(writable);
    }

    /** A configuration with the default process limit. */
    public SandboxConfig(Mode mode, Network network, List<String> writable) {
        this(mode, network, writable, ProcessLauncher.DEFAULT_PROCESS_LIMIT);
    }

    /** {@code auto}: sandboxed wherever bubblewrap works; {@code on}: sandboxed or refused; {@code off}: never. */
    public enum Mode { AUTO, ON, OFF }

    /** The built-in default: {@code auto}, no network, nothing writable beyond the project and temp. */
    public static final SandboxConfig DEFAULT = new SandboxConfig(Mode.AUTO, new Network.Off(), List.of());

    /** What a sandboxed command may reach over the network. */
    public sealed interface Network {
        /** No network at all, not even loopback. */
        record Off() implements Network {}

        /** The host's network, unrestricted. */
        record On() implements Network {}

        /** Only these hosts (today: treated as {@link On}, with a note; no filtering proxy yet). */
        record Hosts(List<String> hosts) implements Network {
            public Hosts {
                hosts = List.copyOf(hosts);
            }
        }
    }
}
