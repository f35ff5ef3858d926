package dev.lathe.core.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The folders where the sockets of other programs live, hidden (an empty tmpfs over each) in a sandbox without
 * network: the runtime folders ({@code /run}, {@code /var/run}, {@code $XDG_RUNTIME_DIR}: the session bus, Docker,
 * systemd, the ssh and gpg agents of desktop sessions), and the user's {@code ~/.ssh} and {@code ~/.gnupg} (agent
 * sockets, and keys a command without network has no use for). The sandbox's {@code /tmp} is its own already (X11's
 * and tmux's sockets, {@code ssh-agent}'s default folder). This is the second line: {@link UnixSocketFilter} keeps a
 * command from making a unix socket at all, so a socket elsewhere (in the project, a custom path) is no door either.
 * Also the variables that point at sockets ({@link #VARIABLES}) are dropped from the command's environment.
 */
final class SocketFolders {
    private SocketFolders() {}

    /** Environment variables naming a socket (or a display) of a program outside the sandbox. */
    static final List<String> VARIABLES = List.of("SSH_AUTH_SOCK", "SSH_AGENT_PID", "GPG_AGENT_INFO", "DBUS_SESSION_BUS_ADDRESS",
            "DBUS_SYSTEM_BUS_ADDRESS", "DOCKER_HOST", "CONTAINER_HOST", "XDG_RUNTIME_DIR", "WAYLAND_DISPLAY", "DISPLAY", "XAUTHORITY",
            "PULSE_SERVER", "TMUX", "TMUX_PANE", "STY", "KITTY_LISTEN_ON", "NVIM", "NVIM_LISTEN_ADDRESS", "SWAYSOCK", "I3SOCK",
            "HYPRLAND_INSTANCE_SIGNATURE", "JUPYTER_RUNTIME_DIR");

    /** The existing socket folders named by {@code env}, each by its real path (a link such as /var/run once). */
    static List<Path> of(Map<String, String> env) {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/run"), Path.of("/var/run")));
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()) candidates.add(Path.of(runtime));
        String home = env.get("HOME");
        if (home != null && !home.isBlank() && Path.of(home).isAbsolute()) {
            candidates.add(Path.of(home, ".ssh"));
            candidates.add(Path.of(home, ".gnupg"));
        }
        Set<Path> out = new LinkedHashSet<>();
        for (Path c : candidates) {
            try {
                if (Files.isDirectory(c)) out.add(c.toRealPath());
            } catch (IOException e) {
                // vanished or unreadable: nothing there to hide from a command running as the same user
            }
        }
        // a folder inside another one hidden already needs no tmpfs of its own (and bwrap could not mount on it)
        return out.stream().filter(p -> out.stream().noneMatch(o -> !o.equals(p) && p.startsWith(o))).toList();
    }
}
