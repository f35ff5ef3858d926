package dev.lathe.tui.input;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Submitted prompts, newest last, kept in a file of one JSON string per line (so multi-line prompts survive), with
 * up/down navigation that gives back the draft being typed.
 *
 * <p>At most {@link #MAX} entries; a prompt equal to the newest one is not added again. The file is read once in
 * the constructor (a missing file is an empty history, a line that is not a JSON string is skipped) and each
 * {@link #add} appends one line, creating the file and its folders on first use; the file is rewritten with only
 * the kept entries once it holds twice {@link #MAX} lines. History is a convenience, so a file that cannot be read
 * or written is logged and the history carries on in memory. Not thread-safe: used on the input thread.
 */
public final class History {
    public static final int MAX = 1000;

    private static final System.Logger LOG = System.getLogger(History.class.getName());
    private static final JsonMapper JSON = JsonMapper.shared();

    private final Path file;
    private final List<String> entries = new ArrayList<>();
    private int linesOnDisk;
    /** The entry being shown while navigating, {@code entries.size()} when not navigating. */
    private int index;
    private String draft = "";

    public History(Path file) {
        this.file = file;
        load();
        index = entries.size();
    }

    /** Every entry, oldest first (an unmodifiable snapshot). */
    public List<String> entries() { return List.copyOf(entries); }

    /** Remembers a submitted prompt (blank ones and repeats of the newest are ignored) and ends navigation. */
    public void add(String entry) {
        resetNavigation();
        if (entry.isBlank() || (!entries.isEmpty() && entries.getLast().equals(entry))) return;
        entries.add(entry);
        if (entries.size() > MAX) entries.removeFirst();
        index = entries.size();
        save(entry);
    }

    /**
     * The entry before the one shown (the newest when not yet navigating, remembering {@code currentDraft});
     * empty at the oldest entry, where the caller keeps what is shown.
     */
    public Optional<String> previous(String currentDraft) {
        if (index == 0) return Optional.empty();
        if (index == entries.size()) draft = currentDraft;
        index--;
        return Optional.of(entries.get(index));
    }

    /**
     * The entry after the one shown, or the remembered draft when stepping past the newest (which ends
     * navigation); empty when not navigating.
     */
    public Optional<String> next() {
        if (index == entries.size()) return Optional.empty();
        index++;
        return Optional.of(index == entries.size() ? draft : entries.get(index));
    }

    /** Forgets the navigation position and draft (after a submit or when the input is cleared). */
    public void resetNavigation() {
        index = entries.size();
        draft = "";
    }

    private void load() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.log(Level.WARNING, "cannot read prompt history " + file + ": " + e.getMessage());
            return;
        }
        linesOnDisk = lines.size();
        for (String line : lines) {
            decode(line).ifPresent(entry -> {
                if (entries.isEmpty() || !entries.getLast().equals(entry)) entries.add(entry);
            });
        }
        while (entries.size() > MAX) entries.removeFirst();
    }

    private static Optional<String> decode(String line) {
        if (line.isBlank()) return Optional.empty();
        try {
            JsonNode node = JSON.readTree(line);
            return node.isString() ? Optional.of(node.stringValue()) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    private void save(String entry) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            if (linesOnDisk + 1 >= 2 * MAX) {
                // Appending keeps concurrent sessions from clobbering each other; compacting now and then keeps the
                // file bounded.
                var kept = entries.stream().map(JSON::writeValueAsString).toList();
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.write(tmp, kept, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                linesOnDisk = kept.size();
            } else {
                Files.writeString(file, JSON.writeValueAsString(entry) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                linesOnDisk++;
            }
        } catch (IOException | JacksonException e) {
            LOG.log(Level.WARNING, "cannot save prompt history " + file + ": " + e.getMessage());
        }
    }
}
