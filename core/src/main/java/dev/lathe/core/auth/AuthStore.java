package dev.lathe.core.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keys from {@code lathe auth login}: {@code <data>/auth.json}, {@code {"<provider>": {"type": "api", "key": "..."}}},
 * readable by its owner only. Writes go through {@link PrivateFile}, so a crash never
 * leaves a half-written or world-readable file. Keys are never logged; {@link #toString} shows provider ids only.
 */
public final class AuthStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;

    public AuthStore(Path file) {
        this.file = file;
    }

    public Path file() { return file; }

    public Optional<String> key(String provider) {
        return Optional.ofNullable(read().get(provider));
    }

    /** Provider ids with a saved key, sorted. */
    public java.util.Set<String> providers() { return read().keySet(); }

    public void save(String provider, String key) {
        Map<String, String> all = read();
        all.put(provider, key);
        write(all);
    }

    /** @return whether a key was saved for that provider */
    public boolean remove(String provider) {
        Map<String, String> all = read();
        if (all.remove(provider) == null) return false;
        write(all);
        return true;
    }

    private Map<String, String> read() {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(file)) return out;
        try {
            JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                String key = e.getValue().isString() ? e.getValue().asString() : e.getValue().path("key").asString("");
                if (!key.isEmpty()) out.put(e.getKey(), key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JacksonException e) {
            throw new IllegalStateException(file + " is not valid JSON; fix or delete it and log in again");
        }
        return out;
    }

    private void write(Map<String, String> all) {
        var root = JSON.createObjectNode();
        all.forEach((provider, key) -> root.putObject(provider).put("type", "api").put("key", key));
        try {
            PrivateFile.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override public String toString() { return "AuthStore[" + file + "]"; }
}
