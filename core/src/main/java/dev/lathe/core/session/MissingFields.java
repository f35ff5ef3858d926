package dev.lathe.core.session;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a missing field in a document read from outside (an imported session): JSON without a field gives a
 * record component of {@code null}, which the rest of the core never expects. Walks records, lists, map values and
 * optionals; answers the path of the first {@code null}, e.g. {@code messages[2].parts[0].text}.
 */
final class MissingFields {
    private MissingFields() {}

    static Optional<String> first(Object value, String path) {
        if (value == null) return Optional.of(path);
        switch (value) {
            case Record r -> {
                for (RecordComponent c : r.getClass().getRecordComponents()) {
                    Optional<String> found = first(read(c, r), path.isEmpty() ? c.getName() : path + "." + c.getName());
                    if (found.isPresent()) return found;
                }
            }
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    Optional<String> found = first(list.get(i), path + "[" + i + "]");
                    if (found.isPresent()) return found;
                }
            }
            case Map<?, ?> map -> {
                for (var e : map.entrySet()) {
                    Optional<String> found = first(e.getValue(), path + "." + e.getKey());
                    if (found.isPresent()) return found;
                }
            }
            case Optional<?> optional -> {
                if (optional.isPresent()) return first(optional.get(), path);
            }
            default -> { }
        }
        return Optional.empty();
    }

    private static Object read(RecordComponent component, Record owner) {
        try {
            return component.getAccessor().invoke(owner);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + owner.getClass().getSimpleName(), e);
        }
    }
}
