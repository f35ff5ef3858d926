package dev.lathe.tui.input;

import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Prompts sent, newest last, one JSON string per line in a file (so multi-line prompts survive). */
public final class History {
    static final int MAX = 1000;
    private final Path file;
    private final List<String> entries = new ArrayList<>();
    private int position;
    private String draft = "";

    public History(Path file) {
        this.file = file;
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    try {
                        entries.add(WireJson.read(line, String.class));
                    } catch (RuntimeException e) {
                        // a damaged line costs that entry only
                    }
                }
            }
        } catch (IOException e) {
            // no history this time
        }
        while (entries.size() > MAX) entries.removeFirst();
        position = entries.size();
    }

    public void add(String entry) {
        position = entries.size();
        if (entry.isBlank() || (!entries.isEmpty() && entries.getLast().equals(entry))) {
            position = entries.size();
            return;
        }
        entries.add(entry);
        position = entries.size();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, WireJson.write(entry) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // history is a convenience
        }
    }

    public Optional<String> previous(String currentDraft) {
        if (position == 0) return Optional.empty();
        if (position == entries.size()) draft = currentDraft;
        position--;
        return Optional.of(entries.get(position));
    }

    public Optional<String> next() {
        if (position >= entries.size()) return Optional.empty();
        position++;
        return Optional.of(position == entries.size() ? draft : entries.get(position));
    }
}
