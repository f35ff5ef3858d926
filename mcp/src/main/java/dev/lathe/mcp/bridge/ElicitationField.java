package dev.lathe.mcp.bridge;

import dev.lathe.protocol.event.Question;
import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One field of an elicitation's {@code requestedSchema} (MCP 2025-11-25: a flat object whose properties are strings,
 * numbers, booleans, single-select enums or multi-select enum arrays), as the question that asks for it and the
 * reading of the user's answer back into the JSON value the server expects.
 *
 * <p>Every question may also be answered by typing (the clients always offer it), so a typed answer is read as the
 * field's type: a number is parsed, a choice may be typed as its title or its value. An optional field without a
 * default can be skipped with {@link #SKIP}.
 */
sealed interface ElicitationField {
    /** The option that leaves an optional field out of the answer. */
    String SKIP = "(leave empty)";

    /** The property name. */
    String key();

    /** Its title (the key when it has none), its description, whether it is required. */
    Label label();

    /** The question for this field, under {@code heading} (who asks, and their message). */
    Question question(String heading, Optional<String> complaint);

    /**
     * The value for {@code answer} (the chosen options, or the typed text, of the question); empty when the field is
     * left out.
     *
     * @throws Invalid naming what is wrong, so the field can be asked again
     */
    Optional<Object> read(List<String> answer) throws Invalid;

    /** An answer the field does not accept. */
    final class Invalid extends Exception {
        Invalid(String message) { super(message, null, false, false); }
    }

    record Label(String title, Optional<String> description, boolean required) {
        String text(Optional<String> defaultShown, Optional<String> complaint) {
            var b = new StringBuilder(title);
            description.filter(d -> !d.isBlank() && !d.equals(title)).ifPresent(d -> b.append(": ").append(d));
            if (!required) b.append(" (optional)");
            defaultShown.ifPresent(d -> b.append(" [default: ").append(d).append(']'));
            complaint.ifPresent(c -> b.append("\n(not accepted: ").append(c).append(')'));
            return b.toString();
        }
    }

    /** A free-text string; {@code format} one of {@code email|uri|date|date-time} when given. */
    record Text(String key, Label label, Optional<String> defaultValue, Optional<String> format, Optional<Integer> minLength,
                Optional<Integer> maxLength) implements ElicitationField {
        @Override public Question question(String heading, Optional<String> complaint) {
            return new Question(heading + label.text(defaultValue, complaint), skippable(label, defaultValue), false);
        }

        @Override public Optional<Object> read(List<String> answer) throws Invalid {
            Optional<String> given = given(answer, label, defaultValue);
            if (given.isEmpty()) return Optional.empty();
            String s = given.get();
            if (minLength.isPresent() && s.length() < minLength.get()) throw new Invalid("at least " + minLength.get() + " characters");
            if (maxLength.isPresent() && s.length() > maxLength.get()) throw new Invalid("at most " + maxLength.get() + " characters");
            if (format.isPresent() && !formatted(format.get(), s)) throw new Invalid("not a valid " + format.get());
            return Optional.of(s);
        }

        private static boolean formatted(String format, String s) {
            try {
                return switch (format) {
                    case "email" -> s.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
                    case "uri" -> URI.create(s).getScheme() != null;
                    case "date" -> LocalDate.parse(s) != null;
                    case "date-time" -> OffsetDateTime.parse(s) != null;
                    default -> true;
                };
            } catch (IllegalArgumentException | DateTimeParseException e) {
                return false;
            }
        }
    }

    /** A number, or an integer when {@code integer}. */
    record Number(String key, Label label, boolean integer, Optional<Double> defaultValue, Optional<Double> minimum,
                  Optional<Double> maximum) implements ElicitationField {
        @Override public Question question(String heading, Optional<String> complaint) {
            Optional<String> shown = defaultValue.map(this::show);
            return new Question(heading + label.text(shown, complaint), skippable(label, shown), false);
        }

        @Override public Optional<Object> read(List<String> answer) throws Invalid {
            Optional<String> given = given(answer, label, defaultValue.map(this::show));
            if (given.isEmpty()) return Optional.empty();
            double value;
            try {
                value = Double.parseDouble(given.get().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new Invalid("'" + given.get() + "' is not " + (integer ? "an integer" : "a number"));
            }
            if (integer && (value != Math.rint(value) || Double.isInfinite(value))) throw new Invalid("'" + given.get() + "' is not an integer");
            if (minimum.isPresent() && value < minimum.get()) throw new Invalid("at least " + show(minimum.get()));
            if (maximum.isPresent() && value > maximum.get()) throw new Invalid("at most " + show(maximum.get()));
            return Optional.of(integer ? (Object) (long) value : (Object) value);
        }

        private String show(double d) {
            return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }

    /** A boolean, asked as yes or no. */
    record Flag(String key, Label label, Optional<Boolean> defaultValue) implements ElicitationField {
        @Override public Question question(String heading, Optional<String> complaint) {
            List<String> options = new ArrayList<>(List.of("yes", "no"));
            if (!label.required() && defaultValue.isEmpty()) options.add(SKIP);
            return new Question(heading + label.text(defaultValue.map(b -> b ? "yes" : "no"), complaint), options, false);
        }

        @Override public Optional<Object> read(List<String> answer) throws Invalid {
            Optional<String> given = given(answer, label, defaultValue.map(b -> b ? "yes" : "no"));
            if (given.isEmpty()) return Optional.empty();
            return switch (given.get().strip().toLowerCase(Locale.ROOT)) {
                case "yes", "y", "true" -> Optional.of(true);
                case "no", "n", "false" -> Optional.of(false);
                default -> throw new Invalid("answer yes or no");
            };
        }
    }

    /** One of {@code values}, shown by their {@code titles} (the values themselves when untitled). */
    record Choice(String key, Label label, List<String> values, List<String> titles, Optional<String> defaultValue)
            implements ElicitationField {
        @Override public Question question(String heading, Optional<String> complaint) {
            List<String> options = new ArrayList<>(titles);
            if (!label.required() && defaultValue.isEmpty()) options.add(SKIP);
            return new Question(heading + label.text(defaultValue.map(v -> title(values, titles, v)), complaint), options, false);
        }

        @Override public Optional<Object> read(List<String> answer) throws Invalid {
            Optional<String> given = given(answer, label, defaultValue.map(v -> title(values, titles, v)));
            if (given.isEmpty()) return Optional.empty();
            return Optional.of(value(values, titles, given.get()));
        }
    }

    /** Some of {@code values} (at least {@code minItems}, at most {@code maxItems}), shown by their titles. */
    record Choices(String key, Label label, List<String> values, List<String> titles, List<String> defaultValue,
                   Optional<Integer> minItems, Optional<Integer> maxItems) implements ElicitationField {
        @Override public Question question(String heading, Optional<String> complaint) {
            List<String> options = new ArrayList<>(titles);
            if (!label.required() && defaultValue.isEmpty()) options.add(SKIP);
            Optional<String> shown = defaultValue.isEmpty() ? Optional.empty()
                    : Optional.of(String.join(", ", defaultValue.stream().map(v -> title(values, titles, v)).toList()));
            return new Question(heading + label.text(shown, complaint), options, true);
        }

        @Override public Optional<Object> read(List<String> answer) throws Invalid {
            List<String> picked = answer.stream().map(String::strip).filter(a -> !a.isEmpty() && !a.equals(SKIP)).toList();
            if (picked.isEmpty()) {
                if (!defaultValue.isEmpty()) return Optional.of(defaultValue);
                if (label.required()) throw new Invalid("required");
                return Optional.empty();
            }
            List<String> chosen = new ArrayList<>();
            for (String p : picked) {
                // a typed answer may list several, separated by commas
                for (String one : answer.size() == 1 && !titles.contains(p) ? List.of(p.split("\\s*,\\s*")) : List.of(p)) {
                    String v = value(values, titles, one);
                    if (!chosen.contains(v)) chosen.add(v);
                }
            }
            if (minItems.isPresent() && chosen.size() < minItems.get()) throw new Invalid("choose at least " + minItems.get());
            if (maxItems.isPresent() && chosen.size() > maxItems.get()) throw new Invalid("choose at most " + maxItems.get());
            return Optional.of(List.copyOf(chosen));
        }
    }

    /** The answer's one text, the default when it is left empty, or empty when the field is skipped. */
    private static Optional<String> given(List<String> answer, Label label, Optional<String> defaultShown) throws Invalid {
        String text = answer.isEmpty() ? "" : String.join(", ", answer).strip();
        if (text.isEmpty() || text.equals(SKIP)) {
            if (defaultShown.isPresent()) return defaultShown;
            if (label.required()) throw new Invalid("required");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** The options of a free-text question: its default to pick, or a way to skip an optional field. */
    private static List<String> skippable(Label label, Optional<String> defaultShown) {
        if (defaultShown.isPresent()) return List.of(defaultShown.get());
        return label.required() ? List.of() : List.of(SKIP);
    }

    private static String title(List<String> values, List<String> titles, String value) {
        int i = values.indexOf(value);
        return i < 0 ? value : titles.get(i);
    }

    private static String value(List<String> values, List<String> titles, String answer) throws Invalid {
        String a = answer.strip();
        int i = titles.indexOf(a);
        if (i < 0) i = values.indexOf(a);
        for (int j = 0; i < 0 && j < titles.size(); j++) {
            if (titles.get(j).equalsIgnoreCase(a) || values.get(j).equalsIgnoreCase(a)) i = j;
        }
        if (i < 0) throw new Invalid("'" + a + "' is not one of " + String.join(", ", titles));
        return values.get(i);
    }
}
