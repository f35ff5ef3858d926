package dev.lathe.server.http;

/**
 * Who may call a route on a team server (DESIGN §20 "Users"); on a server without {@code --store} the one user is the
 * admin and passes all of them. Every route that changes a session names the right that protects it
 * ({@code RouteRightsTest} fails for one that does not).
 */
enum Rights {
    /** Every user: reading, watching, creating sessions of one's own. */
    ANYONE,
    /** The owner of the session named by the {@code {id}} parameter, or an admin. */
    SESSION_OWNER,
    /** The owner of the session of the pending permission ask {@code {id}}, or an admin. */
    ASK_OWNER,
    /** The owner of the session of the pending question {@code {id}}, or an admin. */
    QUESTION_OWNER,
    /** The owner of the session of the waiting editor request {@code {requestId}}, or an admin. */
    EDITOR_OWNER,
    /** An admin: what changes the node or a folder for every user (keys, trust, config, MCP servers, accounts). */
    ADMIN
}
