package dev.lathe.core.trust;

/**
 * Whether what a folder's own files define that runs code or receives secrets (provider base URLs and headers,
 * {@code {env:…}}/{@code {file:…}} substitutions, sandbox settings, {@code !`cmd`} in its commands; hooks, MCP
 * servers and plugins as they arrive) takes effect there. The user's own configuration is always trusted.
 */
public enum FolderTrust {
    TRUSTED,
    UNTRUSTED;

    public boolean trusted() { return this == TRUSTED; }
}
