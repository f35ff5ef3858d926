package dev.lathe.server.http;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.lathe.protocol.event.Event;
import java.util.HashMap;
import java.util.Map;

/**
 * The wire {@code type} of each event, read once from the {@link JsonSubTypes} names on {@link Event} so the SSE
 * {@code event:} line and the {@code type} field in {@code data:} can never disagree.
 */
final class EventTypes {
    private static final Map<Class<?>, String> NAMES = load();

    private EventTypes() {}

    static String of(Event event) {
        String name = NAMES.get(event.getClass());
        if (name == null) throw new IllegalStateException("no @JsonSubTypes name for " + event.getClass().getName());
        return name;
    }

    private static Map<Class<?>, String> load() {
        var names = new HashMap<Class<?>, String>();
        JsonSubTypes subTypes = Event.class.getAnnotation(JsonSubTypes.class);
        if (subTypes == null) throw new IllegalStateException("Event has no @JsonSubTypes");
        for (JsonSubTypes.Type type : subTypes.value()) names.put(type.value(), type.name());
        for (Class<?> permitted : Event.class.getPermittedSubclasses()) {
            if (!names.containsKey(permitted)) throw new IllegalStateException("no @JsonSubTypes name for " + permitted.getName());
        }
        return Map.copyOf(names);
    }
}
