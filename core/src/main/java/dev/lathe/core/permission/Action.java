package dev.lathe.core.permission;

import java.util.Locale;

/** What a rule says; declared from least to most strict so ties can pick the stricter one. */
public enum Action {
    ALLOW, ASK, DENY;

    public static Action parse(String text) { return valueOf(text.toUpperCase(Locale.ROOT)); }

    Action stricter(Action other) { return ordinal() >= other.ordinal() ? this : other; }
}
