package dev.lathe.core.subscription;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/**
 * A subscription Lathe can sign in to, with the facts of its public clients (sources in docs/decisions.md, decision
 * 121): the provider id it serves, its authorization server and token API, the OAuth client id the vendor's own tools
 * use, the loopback port their redirect is registered with, the backend and the wire protocol it speaks.
 */
public enum Plan {
    /** ChatGPT Plus/Pro through the Codex backend, which speaks the Responses API. */
    CHATGPT("openai", "ChatGPT Plus/Pro", URI.create("https://auth.openai.com"), URI.create("https://auth.openai.com"),
            "app_EMoamEEZ73f0CkXaXp7hrann", 1455, URI.create("https://chatgpt.com/backend-api/codex"), "openai-responses"),
    /** GitHub Copilot: github.com's device flow, Copilot tokens from api.github.com, chat completions. */
    COPILOT("github-copilot", "GitHub Copilot", URI.create("https://github.com"), URI.create("https://api.github.com"),
            "Iv1.b507a08c87ecfe98", 0, URI.create("https://api.githubcopilot.com"), "openai-chat");

    private final String provider;
    private final String label;
    private final URI issuer;
    private final URI api;
    private final String clientId;
    private final int redirectPort;
    private final URI backend;
    private final String protocol;

    Plan(String provider, String label, URI issuer, URI api, String clientId, int redirectPort, URI backend, String protocol) {
        this.provider = provider;
        this.label = label;
        this.issuer = issuer;
        this.api = api;
        this.clientId = clientId;
        this.redirectPort = redirectPort;
        this.backend = backend;
        this.protocol = protocol;
    }

    /** The plan that serves provider {@code id}, if any. */
    public static Optional<Plan> forProvider(String id) {
        return Arrays.stream(values()).filter(p -> p.provider.equals(id)).findFirst();
    }

    public String provider() { return provider; }

    /** For people: {@code ChatGPT Plus/Pro}. */
    public String label() { return label; }

    URI issuer() { return issuer; }

    URI api() { return api; }

    String clientId() { return clientId; }

    int redirectPort() { return redirectPort; }

    /** The backend's base URL when config names none. */
    public URI backend() { return backend; }

    /** The wire protocol when config names none. */
    public String protocol() { return protocol; }

    /** What a user runs to sign in (again). */
    public String loginCommand() { return "lathe auth login " + provider; }
}
