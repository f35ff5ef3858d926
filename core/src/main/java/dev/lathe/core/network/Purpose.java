package dev.lathe.core.network;

/**
 * Who would make an outbound connection, as a blocked attempt names it: {@code catalog refresh}, {@code webfetch} (a
 * tool's name), {@code mcp NAME}, {@code mcp NAME sign-in}, {@code provider NAME}, {@code sign-in NAME}, {@code hook EVENT}.
 */
public record Purpose(Kind kind, String name) {
    public enum Kind { CATALOG, TOOL, MCP, MCP_SIGN_IN, PROVIDER, SIGN_IN, HOOK }

    public static Purpose catalog() { return new Purpose(Kind.CATALOG, ""); }

    public static Purpose tool(String name) { return new Purpose(Kind.TOOL, name); }

    public static Purpose mcp(String server) { return new Purpose(Kind.MCP, server); }

    /**
     * OAuth for remote MCP server {@code server}: discovery, registration, the code exchange, refresh, revocation. Its
     * own purpose, not {@link #mcp}'s, so a refusal says that the sign-in, not the server, would have left the machine.
     */
    public static Purpose mcpSignIn(String server) { return new Purpose(Kind.MCP_SIGN_IN, server); }

    public static Purpose provider(String id) { return new Purpose(Kind.PROVIDER, id); }

    /** Signing in to provider {@code id}'s subscription, or renewing its token: its authorization server and token API. */
    public static Purpose signIn(String id) { return new Purpose(Kind.SIGN_IN, id); }

    public static Purpose hook(String event) { return new Purpose(Kind.HOOK, event); }

    /** How clients and {@code lathe doctor} name it. */
    public String label() {
        return switch (kind) {
            case CATALOG -> "catalog refresh";
            case TOOL -> name;
            case MCP -> "mcp " + name;
            case MCP_SIGN_IN -> "mcp " + name + " sign-in";
            case PROVIDER -> "provider " + name;
            case SIGN_IN -> "sign-in " + name;
            case HOOK -> "hook " + name;
        };
    }
}
