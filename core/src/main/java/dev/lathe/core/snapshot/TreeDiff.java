package dev.lathe.core.snapshot;

import dev.lathe.protocol.api.FileDiff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Git's own diff between two snapshot trees, file by file. External diff programs and textconv filters are never run
 * (the project's {@code .gitattributes} could name them), and paths are literal pathspecs, so a file called {@code *}
 * is that file only.
 */
final class TreeDiff {
    private static final String[] OPTIONS = {"--no-ext-diff", "--no-textconv", "--no-renames", "--no-color"};

    private final Snapshots snapshots;

    TreeDiff(Snapshots snapshots) {
        this.snapshots = snapshots;
    }

    List<FileDiff> between(String from, String to, List<String> paths) {
        if (paths.isEmpty() || from.equals(to)) return List.of();
        Map<String, String> statuses = nameStatus(from, to, paths);
        Map<String, int[]> counts = numstat(from, to, paths);
        List<FileDiff> out = new ArrayList<>();
        statuses.forEach((path, letter) -> {
            String status = switch (letter) {
                case "A" -> "added";
                case "D" -> "deleted";
                default -> "modified";  // M, and T (a file became a symlink or the other way round)
            };
            int[] lines = counts.get(path);
            if (lines == null) {
                out.add(FileDiff.binary(path, status));
            } else {
                out.add(FileDiff.text(path, status, lines[0], lines[1], diff(from, to, "--", literal(path))));
            }
        });
        return out;
    }

    /** {@code path → A|D|M|T} from {@code --name-status -z} (pairs of status and path, NUL-separated). */
    private Map<String, String> nameStatus(String from, String to, List<String> paths) {
        List<String> fields = split(diff(from, to, withPaths("--name-status", "-z", paths)));
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) out.put(fields.get(i + 1), fields.get(i).substring(0, 1));
        return out;
    }

    /** {@code path → [added, deleted]} for text files; binary files ({@code -\t-}) are left out. */
    private Map<String, int[]> numstat(String from, String to, List<String> paths) {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (String record : split(diff(from, to, withPaths("--numstat", "-z", paths)))) {
            String[] f = record.split("\t", 3);
            if (f.length < 3 || f[0].equals("-")) continue;
            out.put(f[2], new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])});
        }
        return out;
    }

    private String diff(String from, String to, String... args) {
        List<String> command = new ArrayList<>(List.of("diff"));
        command.addAll(List.of(OPTIONS));
        int dashes = List.of(args).indexOf("--");
        command.addAll(List.of(args).subList(0, dashes));
        command.add(from);
        command.add(to);
        command.addAll(List.of(args).subList(dashes, args.length));
        return snapshots.git(command.toArray(String[]::new));
    }

    private static String[] withPaths(String format, String nul, List<String> paths) {
        List<String> args = new ArrayList<>(List.of(format, nul, "--"));
        for (String p : paths) args.add(literal(p));
        return args.toArray(String[]::new);
    }

    private static String literal(String path) {
        return ":(literal)" + path;
    }

    private static List<String> split(String nulSeparated) {
        List<String> out = new ArrayList<>();
        for (String s : nulSeparated.split("\0")) if (!s.isEmpty()) out.add(s);
        return out;
    }
}
