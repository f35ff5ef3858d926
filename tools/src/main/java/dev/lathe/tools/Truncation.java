package dev.lathe.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps tool output within 2,000 lines and 50 KB. The cut keeps the head (files, searches) or the tail (commands,
 * whose end holds the result); the full text is saved under the output folder and the note tells the model where.
 */
public final class Truncation {
    public static final int MAX_LINES = 2000;
    public static final int MAX_BYTES = 50 * 1024;

    /** Which end of the output to keep. */
    public enum Keep { HEAD, TAIL }

    private Truncation() {}

    public static boolean needed(String output) {
        return lines(output) > MAX_LINES || output.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }

    public static String apply(String output, Keep keep, ToolContext ctx) {
        if (!needed(output)) return output;
        Path saved = save(output, ctx);
        List<String> all = output.lines().toList();
        var kept = new StringBuilder();
        int bytes = 0;
        int count = 0;
        if (keep == Keep.HEAD) {
            for (String line : all) {
                int size = line.getBytes(StandardCharsets.UTF_8).length + 1;
                if (count >= MAX_LINES || bytes + size > MAX_BYTES) break;
                kept.append(line).append('\n');
                bytes += size;
                count++;
            }
        } else {
            var tail = new java.util.ArrayDeque<String>();
            for (int i = all.size() - 1; i >= 0; i--) {
                int size = all.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
                if (count >= MAX_LINES || bytes + size > MAX_BYTES) break;
                tail.addFirst(all.get(i));
                bytes += size;
                count++;
            }
            tail.forEach(l -> kept.append(l).append('\n'));
        }
        int omitted = all.size() - count;
        String note = "(Output truncated: " + omitted + " of " + all.size() + " lines omitted " + (keep == Keep.HEAD ? "at the end" : "at the start")
                + ". The full output is saved in " + saved + "; read it with the read tool and offset/limit, or search it with grep.)";
        return keep == Keep.HEAD ? kept + "\n" + note : note + "\n\n" + kept;
    }

    private static int lines(String s) {
        int n = 1;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == '\n') n++;
        return n;
    }

    private static Path save(String output, ToolContext ctx) {
        try {
            Files.createDirectories(ctx.folders().output());
            String name = ctx.call().id().replaceAll("[^A-Za-z0-9_.-]", "_");
            Path file = ctx.folders().output().resolve((name.isEmpty() ? "output" : name) + ".txt");
            Files.writeString(file, output, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new ToolFailure("output too large and could not be saved: " + e.getMessage(), e);
        }
    }
}
