package dev.lathe.core.network;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Whether a host is this machine's loopback, decided from its text alone: {@code localhost}, an IPv4 literal in
 * 127.0.0.0/8, {@code ::1} (and IPv4-mapped loopback). No name is looked up: a name that resolves to 127.0.0.1 is not
 * loopback here, because the answer can change between this check and the connection (the HTTP client resolves again:
 * DNS rebinding), and because whoever controls that name's DNS, not the user, would decide what local-only allows.
 */
public final class Loopback {
    private Loopback() {}

    public static boolean is(URI target) {
        return target.getHost() != null && is(target.getHost());
    }

    public static boolean is(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (h.equals("localhost")) return true;
        if (!h.matches("[0-9.]+") && !h.contains(":")) return false; // a name: never looked up
        try {
            return InetAddress.ofLiteral(h).isLoopbackAddress();
        } catch (IllegalArgumentException notALiteral) {
            return false;
        }
    }
}
