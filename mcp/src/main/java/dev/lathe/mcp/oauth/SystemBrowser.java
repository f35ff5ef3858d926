package dev.lathe.mcp.oauth;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;

/**
 * Opens the URL with {@code xdg-open} (or {@code open} on macOS) when one is on {@code PATH}, and always prints it too,
 * so a user on a remote shell can copy it.
 */
public final class SystemBrowser implements Browser {
    private final PrintStream out;

    public SystemBrowser(PrintStream out) {
        this.out = out;
    }

    @Override
    public void open(URI authorizationUrl) {
        out.println("Open this URL to sign in: " + authorizationUrl);
        for (String opener : new String[] {"xdg-open", "open"}) {
            if (!onPath(opener)) continue;
            try {
                new ProcessBuilder(opener, authorizationUrl.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return;
            } catch (IOException e) {
                // the printed URL still works
            }
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) if (new File(dir, command).canExecute()) return true;
        return false;
    }
}
