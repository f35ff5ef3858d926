package dev.lathe.protocol.event;

/**
 * The ask a spend limit makes when a session reaches it (decision 119): a {@link PermissionRequest} with the permission
 * {@value #PERMISSION}, its one pattern the limit's config key ({@code limits.session.usd}), and the figures in its
 * metadata, so every client that answers permission asks answers this one: allow once raises the limit by its own
 * size for the session, always lifts it for the session, reject stops the turn with the error {@value #ERROR_KIND}.
 * No rule, hook or {@code allowAll} answers it: a limit is a hard cap, only a person raises it.
 */
public final class BudgetAsks {
    /** The permission name of the ask. */
    public static final String PERMISSION = "budget";
    /** The error kind of a turn stopped at a limit. */
    public static final String ERROR_KIND = "limit_reached";
    /** Metadata: the config key of the limit reached, e.g. {@code limits.session.usd}. */
    public static final String LIMIT = "limit";
    /** Metadata: what was spent against what, e.g. {@code session $5.02 of $5.00}. */
    public static final String SPENT = "spent";
    /** Metadata: what allow once grants, e.g. {@code $5.00 more for this session}. */
    public static final String RAISE = "raise";

    private BudgetAsks() {}

    /** Whether {@code request} is a spend limit's ask. */
    public static boolean is(PermissionRequest request) { return request.permission().equals(PERMISSION); }
}
