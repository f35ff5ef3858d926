package dev.lathe.core.permission;

import java.util.Locale;
import java.util.Optional;

/**
 * What a refusal does to the turn and who answers an ask nobody can answer (DESIGN §26): {@code permission.onDeny} and
 * {@code permission.unattended}, keys of the {@code permission} object that are not tool names. Over the layers the
 * strictest value any layer sets holds ({@link #strictest}), so no file, a cloned project's least of all, loosens what
 * another set.
 *
 * @param onDeny     what a deny rule's refusal does: the model reads it and the turn goes on (the default), or it ends
 *                   the turn ({@code "stop"}, OpenCode's behaviour; {@code lathe run} exits 3)
 * @param unattended what an ask nobody can answer does, when a layer set it; absent: {@link Unattended#DENY} in work
 *                   nobody watches, an ask to the user elsewhere
 */
public record PermissionPolicy(OnDeny onDeny, Optional<Unattended> unattended, Optional<AutoApproval> auto) {
    /** Neither key set. */
    public static final PermissionPolicy DEFAULT = new PermissionPolicy(OnDeny.CONTINUE, Optional.empty());

    public PermissionPolicy {
        unattended = unattended == null ? Optional.empty() : unattended;
        auto = auto == null ? Optional.empty() : auto;
    }

    /** Without auto-approval. */
    public PermissionPolicy(OnDeny onDeny, Optional<Unattended> unattended) {
        this(onDeny, unattended, Optional.empty());
    }

    /** This policy with {@code auto}'s classifier ({@code permission.auto}, DESIGN §31). */
    public PermissionPolicy withAuto(Optional<AutoApproval> auto) { return new PermissionPolicy(onDeny, unattended, auto); }

    /** The reserved keys of {@code permission}: never tool names. */
    public static final String ON_DENY = "onDeny";
    public static final String UNATTENDED = "unattended";

    /** Whether {@code key} of a {@code permission} object is one of these settings rather than a tool's rules. */
    public static boolean reserved(String key) { return key.equals(ON_DENY) || key.equals(UNATTENDED) || key.equals(AutoApproval.KEY); }

    /** What a deny rule's refusal does to the turn. */
    public enum OnDeny {
        /** The model reads the denial and goes on. */
        CONTINUE,
        /** The turn ends there, as a rejected ask ends it. */
        STOP;

        public String wire() { return name().toLowerCase(Locale.ROOT); }
    }

    /** What an ask nobody can answer does; declared from the loosest to the strictest. */
    public enum Unattended {
        /** Kept open until someone answers it (Lathe's behaviour before DESIGN §26). */
        WAIT,
        /** Refused like a deny rule: the model reads why and goes on; a notification is sent. */
        DENY,
        /** Refused, and the turn ends there. */
        STOP;

        public String wire() { return name().toLowerCase(Locale.ROOT); }
    }

    /** How an ask nobody can answer is answered here: as set, else denied. */
    public Unattended whenUnattended() { return unattended.orElse(Unattended.DENY); }

    /**
     * Whether every session is unattended, whoever watches it: {@code "unattended": "deny"} set by a layer (DESIGN §18,
     * "any session when {@code "permission": {"unattended": "deny"}}").
     */
    public boolean deniesEveryAsk() { return unattended.filter(u -> u == Unattended.DENY).isPresent(); }

    /** {@code value} of {@code key} as written in a config file; empty when it is none of the key's values. */
    public static Optional<String> problem(String key, String value) {
        return switch (key) {
            case ON_DENY -> parse(OnDeny.values(), value).isPresent() ? Optional.empty()
                    : Optional.of("expected \"continue\" (the default: the model reads the denial and goes on) or \"stop\" (a denial ends the turn)");
            case UNATTENDED -> parse(Unattended.values(), value).isPresent() ? Optional.empty()
                    : Optional.of("expected \"deny\" (the default for work nobody watches), \"wait\" or \"stop\"");
            default -> Optional.of("not a permission setting");
        };
    }

    /** The strictest of {@code a} and {@code b}, values of {@code key} as written ({@code stop} over {@code deny} over {@code wait}; {@code stop} over {@code continue}). */
    public static String strictest(String key, String a, String b) {
        if (key.equals(ON_DENY)) return a.equals("stop") || b.equals("stop") ? "stop" : "continue";
        int left = parse(Unattended.values(), a).map(Enum::ordinal).orElse(-1);
        int right = parse(Unattended.values(), b).map(Enum::ordinal).orElse(-1);
        return left >= right ? a : b;
    }

    /** The policy a merged {@code permission} object's settings say, values already validated. */
    public static PermissionPolicy of(Optional<String> onDeny, Optional<String> unattended) {
        return new PermissionPolicy(onDeny.flatMap(v -> parse(OnDeny.values(), v)).orElse(OnDeny.CONTINUE),
                unattended.flatMap(v -> parse(Unattended.values(), v)));
    }

    private static <E extends Enum<E>> Optional<E> parse(E[] values, String wire) {
        for (E e : values) if (e.name().toLowerCase(Locale.ROOT).equals(wire)) return Optional.of(e);
        return Optional.empty();
    }
}
