package dev.lathe.protocol.event;

import java.util.List;

/** One question for the user; {@code options} may be empty (free text), {@code multiple} allows several choices. */
public record Question(String question, List<String> options, boolean multiple) {
    public Question {
        options = List.copyOf(options);
    }
}
