package dev.lathe.server.users;

import dev.lathe.protocol.api.LatheException;
import java.util.regex.Pattern;

/** What an account may be called: short, lower case, printable in a table and a log line, never the local admin's form. */
public final class UserName {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,39}");

    private UserName() {}

    /** @throws LatheException.InvalidInput naming the rule when {@code name} breaks it */
    public static String check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new LatheException.InvalidInput("a user name is 1 to 40 characters: a lower-case letter, then lower-case letters, digits, "
                    + "'.', '_' or '-' (not '" + (name == null ? "" : name) + "')");
        }
        return name;
    }
}
