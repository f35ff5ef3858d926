package dev.lathe.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Whether the client of a loopback connection closed its end, read from the kernel's TCP table ({@code /proc/net/tcp}
 * and {@code tcp6}) without sending a byte: a stalled response must stay silent, yet the fake must notice a client that
 * gave up, so its request ends and no connection is counted open for nothing. Where the table cannot be read (not
 * Linux), nothing is known and the answer is false.
 */
final class ClientSocket {
    private static final String ESTABLISHED = "01";

    private ClientSocket() {}

    /** True when the server side of {@code serverPort ↔ clientPort} is no longer established (the client closed it). */
    static boolean closedByPeer(int serverPort, int clientPort) {
        String local = ":" + hex(serverPort);
        String remote = ":" + hex(clientPort);
        boolean found = false;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException | RuntimeException e) {
                continue;
            }
            for (String line : lines) {
                String[] f = line.strip().split("\\s+");
                if (f.length < 4 || !f[1].endsWith(local) || !f[2].endsWith(remote)) continue;
                found = true;
                if (f[3].equals(ESTABLISHED)) return false;
            }
        }
        return found;
    }

    private static String hex(int port) {
        return String.format(Locale.ROOT, "%04X", port);
    }
}
