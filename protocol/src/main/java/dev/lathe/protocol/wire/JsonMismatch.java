package dev.lathe.protocol.wire;

import java.util.Collection;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * What in a JSON value did not fit the shape it was read into, said in the sender's terms: the place
 * ({@code todos[0].id}) and the problem, never the Java class it was read into, which Jackson's own messages name
 * ({@code Unrecognized property "x" (class dev.lathe…)}, issue 53). The one place JSON decoding errors become words:
 * tool arguments, request bodies and answers read back all say them through here.
 */
public final class JsonMismatch {
    private JsonMismatch() {}

    /** The problem, with {@code field} the word for a member ({@code "field"}, {@code "argument"}). */
    public static String describe(JacksonException e, String field) {
        String where = place(e);
        String at = where.isEmpty() ? "the value" : "'" + where + "'";
        return switch (e) {
            case UnrecognizedPropertyException u -> "'" + (where.isEmpty() ? u.getPropertyName() : where) + "' is not " + article(field) + " it takes"
                    + known(u.getKnownPropertyIds());
            case InvalidTypeIdException t -> at + " has an unknown type '" + t.getTypeId() + "'";
            case InvalidFormatException f -> at + " has a value of the wrong form" + (f.getValue() instanceof String s && s.length() <= 40 ? " ('" + s + "')" : "")
                    + choices(f.getTargetType());
            case ValueInstantiationException v -> at + " is not valid" + reason(v.getCause());
            case MismatchedInputException _ -> where.isEmpty() ? "it does not have the expected shape (an object with the documented fields)"
                    : at + " has the wrong type or shape";
            case StreamReadException r -> "it is not valid JSON (" + r.getOriginalMessage() + ")";
            default -> where.isEmpty() ? "it does not have the expected shape" : at + " is not valid";
        };
    }

    /** For a value read into a set of named choices (an enum, e.g. a prompt's {@code delivery}): the ones it takes. */
    private static String choices(Class<?> target) {
        if (target == null || !target.isEnum()) return "";
        var names = new java.util.ArrayList<String>();
        for (Object c : target.getEnumConstants()) names.add(String.valueOf(c));
        return " (expected one of: " + String.join(", ", names) + ")";
    }

    /** {@code todos[0].id}: the path Jackson was at. */
    private static String place(JacksonException e) {
        var where = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) where.append(where.isEmpty() ? "" : ".").append(r.getPropertyName());
            else if (r.getIndex() >= 0) where.append('[').append(r.getIndex()).append(']');
        }
        return where.toString();
    }

    private static String article(String field) {
        return (field.matches("[aeiou].*") ? "an " : "a ") + field;
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty() || ids.size() > 12) return "";
        var names = new TreeSet<String>();
        ids.forEach(i -> names.add(String.valueOf(i)));
        return " (expected one of: " + String.join(", ", names) + ")";
    }

    /** A record's own check's words ({@code "parts must not be empty"}); nothing when they would name code. */
    private static String reason(Throwable cause) {
        if (cause == null || cause.getMessage() == null || cause.getMessage().isBlank()) return "";
        String m = cause.getMessage();
        if (m.contains("dev.lathe") || m.contains("java.") || m.contains("jackson") || m.contains("Exception") || m.contains("Cannot invoke")) return "";
        return ": " + m;
    }
}
