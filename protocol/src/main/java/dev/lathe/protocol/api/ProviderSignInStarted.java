package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * A subscription sign-in the server started ({@code POST /auth/{provider}/sign-in}, the clients' {@code /connect}):
 * the user opens {@code url} — the authorization page, or the device page where they type {@code userCode}. How it
 * ends is the {@code auth.signin} event. {@code plan}: its name for people, e.g. {@code ChatGPT Plus/Pro}.
 */
public record ProviderSignInStarted(String provider, String plan, String url, Optional<String> userCode) {}
