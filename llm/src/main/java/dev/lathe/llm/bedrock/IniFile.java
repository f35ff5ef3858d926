package dev.lathe.llm.bedrock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The sections of an AWS shared config or credentials file: {@code [section]} headers, {@code key = value} lines,
 * {@code #} and {@code ;} comments. Indented lines continue a nested value (e.g. {@code s3 =} settings) and are
 * skipped: nothing Lathe reads is nested. Keys are lower-cased, as the AWS tools treat them.
 */
final class IniFile {
    private IniFile() {}

    /** A missing or unreadable file reads as empty: the AWS tools treat both as "no profiles". */
    static Map<String, Map<String, String>> read(Path file) {
        try {
            return Files.isRegularFile(file) ? parse(Files.readString(file, StandardCharsets.UTF_8)) : Map.of();
        } catch (IOException e) {
            return Map.of();
        }
    }

    static Map<String, Map<String, String>> parse(String text) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String raw : text.split("\r?\n")) {
            if (raw.isBlank() || Character.isWhitespace(raw.charAt(0))) continue;
            String line = raw.strip();
            if (line.startsWith("#") || line.startsWith(";")) continue;
            if (line.startsWith("[")) {
                int end = line.indexOf(']');
                String name = (end > 0 ? line.substring(1, end) : line.substring(1)).strip().replaceAll("\\s+", " ");
                current = sections.computeIfAbsent(name, _ -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (current == null || eq <= 0) continue;
            current.put(line.substring(0, eq).strip().toLowerCase(Locale.ROOT), withoutComment(line.substring(eq + 1)).strip());
        }
        return sections;
    }

    /** An inline comment needs whitespace before it, so a {@code #} inside a secret key survives. */
    private static String withoutComment(String value) {
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c == '#' || c == ';') && Character.isWhitespace(value.charAt(i - 1))) return value.substring(0, i);
        }
        return value;
    }
}
