package dev.lathe.llm.http;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Takes credentials out of error messages. Servers echo what they were sent (a bad key quoted back, a signature
 * error printing the canonical request), and error messages reach the session, its events and the database.
 */
public final class Redaction {
    static final String MARK = "[redacted]";

    private Redaction() {}

    /** The credentials among request headers: the values of authorisation and key headers, bearer tokens unwrapped. */
    public static List<String> secretsIn(Map<String, String> headers) {
        List<String> out = new ArrayList<>();
        headers.forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (!(n.contains("auth") || n.contains("key") || n.contains("token"))) return;
            out.add(value);
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) out.add(value.substring(7).strip());
        });
        return out;
    }

    /** The event with every secret of at least 8 characters replaced in its error message; other events as they are. */
    public static LlmEvent redact(LlmEvent event, Collection<String> secrets) {
        if (!(event instanceof LlmEvent.Finished f) || f.error().isEmpty()) return event;
        LlmError e = f.error().get();
        String clean = e.message();
        for (String secret : secrets) if (secret.length() >= 8) clean = clean.replace(secret, MARK);
        if (clean.equals(e.message())) return event;
        return f.withError(LlmError.reworded(e, clean));
    }
}
