package dev.lathe.mcp.stateless;

/** The names the 2026-07-28 revision gives its request metadata, headers, methods and error codes. */
final class Stateless {
    static final String VERSION = "2026-07-28";

    static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    static final String META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    static final String META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    static final String META_SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

    static final String HEADER_PROTOCOL_VERSION = "MCP-Protocol-Version";
    static final String HEADER_METHOD = "Mcp-Method";
    static final String HEADER_NAME = "Mcp-Name";
    static final String HEADER_PARAM_PREFIX = "Mcp-Param-";

    static final String DISCOVER = "server/discover";
    static final String LISTEN = "subscriptions/listen";
    static final String PROGRESS = "notifications/progress";
    static final String TOOLS_LIST_CHANGED = "notifications/tools/list_changed";

    static final String RESULT_INPUT_REQUIRED = "input_required";

    /** The JSON-RPC error codes the revision defines, by which a modern server is recognised in a 4xx body. */
    static final int HEADER_MISMATCH = -32020;
    static final int MISSING_REQUIRED_CLIENT_CAPABILITY = -32021;
    static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    private Stateless() {}
}
