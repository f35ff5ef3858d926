package dev.lathe.server.http;

/**
 * Who may call a route (DESIGN §24 "Every route declared once"): every route of the {@link Router} names one, there is
 * no default, so a route cannot be added without saying who may call it ({@code RouteRightsTest}). On a server without
 * {@code --store} the one user is the admin and passes every right but the token itself.
 */
enum Rights {
    /** No token: what holds no data ({@code /health}) and the web login's own exchange of a one-time code. */
    PUBLIC,
    /** Any signed-in user: reading, watching, creating sessions of one's own. */
    ANY_USER,
    /** The owner of the session named by the {@code {id}} parameter, or an admin. */
    SESSION_OWNER,
    /** The owner of the session of the pending permission ask {@code {id}}, or an admin. */
    ASK_OWNER,
    /** The owner of the session of the pending question {@code {id}}, or an admin. */
    QUESTION_OWNER,
    /** The owner of the session of the waiting editor request {@code {requestId}}, or an admin. */
    EDITOR_OWNER,
    /**
     * The owner of every session run in the worktree {@code {name}} of the repository holding {@code ?directory=}, or an
     * admin: ending it may remove it while another user's session works in it.
     */
    WORKTREE_OWNER,
    /** The user who added the schedule {@code {id}} (DESIGN §18 "Schedules"), or an admin. */
    SCHEDULE_OWNER,
    /**
     * The owner of the lead session of the team {@code {id}} (DESIGN §18 "Agent teams"), or an admin: a team's board
     * shows its members' work and messages, so only the lead's user reads it.
     */
    TEAM_OWNER,
    /** An admin: what changes the node or a folder for every user (keys, trust, config, MCP servers, accounts). */
    ADMIN,
    /**
     * The node's own OS user only (the holder of {@code server.json}'s token, or a web login made from it), never a team
     * account, admins included (DESIGN §26): what reads this host's own files on the caller's word, such as another
     * harness's history under the node user's home.
     */
    LOCAL_OWNER;

    /** Whether the route needs a credential (a token or a web login) before anything else is looked at. */
    boolean needsCredential() { return this != PUBLIC; }
}
