package dev.lathe.core.imports;

import dev.lathe.protocol.SessionId;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The mark {@code lathe export --to claude-code} leaves on each record it writes, {@code "lathe": {"session": ID,
 * "model": "provider/model"}} (the model on answers only), read back: Claude Code keeps the records it resumes from as
 * they are and appends its own, unmarked, after them (decision 640). A mark of another shape is no mark: the record is
 * read as Claude Code's own.
 */
final class LatheMark {
    /** The record types that make messages: where Claude Code's own records begin, what it appended begins. */
    static final Set<String> CONVERSATION = Set.of("user", "assistant", "attachment");

    private static final Pattern SESSION = Pattern.compile("ses_[0-9A-Za-z]{1,64}");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._-]{1,64}/[\\x21-\\x7e]{1,200}");

    private LatheMark() {}

    /** The Lathe session a record says it is, when it carries a well-formed mark. */
    static Optional<SessionId> session(JsonNode record) {
        String id = record.path("lathe").path("session").asString("");
        return SESSION.matcher(id).matches() ? Optional.of(new SessionId(id)) : Optional.empty();
    }

    /** The provider and model of a marked answer, as Lathe named them. */
    static Optional<String> model(JsonNode record) {
        if (session(record).isEmpty()) return Optional.empty();
        String model = record.path("lathe").path("model").asString("");
        return MODEL.matcher(model).matches() ? Optional.of(model) : Optional.empty();
    }
}
