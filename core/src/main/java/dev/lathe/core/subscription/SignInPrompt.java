package dev.lathe.core.subscription;

import java.net.URI;
import java.util.Optional;

/**
 * Shows the user what to do while a sign-in waits: open {@code url} (the authorization page, or the device page), and,
 * for a device code, type {@code userCode} there. The terminal prints it (and opens a browser when it can); the server
 * hands it to the client that asked ({@code /connect}).
 */
@FunctionalInterface
public interface SignInPrompt {
    void show(URI url, Optional<String> userCode);
}
