package dev.lathe.core.trust;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a pinned command runs by itself, which its line never names (issue 52: a sandboxed model rewrote them and
 * the next hook ran the new content outside the sandbox): what a shell script sources ({@code . lib/x.sh},
 * {@code source "$(dirname "$0")/../lib/common.sh"}, followed {@value #SOURCE_DEPTH} levels deep), the module
 * {@code python -m pkg.mod} loads (its top package folder, or {@code mod.py}), the makefile {@code make} reads (and the
 * makefiles its {@code include} lines name) and the
 * {@code package.json} whose scripts {@code npm run}/{@code npm test}/{@code pnpm}/{@code yarn}/{@code bun run} run,
 * each from the command's working folders (the project root and the folders the line changes into). Guessed wide: a
 * file pinned that does not run only asks for trust again when it changes, a file missed runs unreviewed. A sourced
 * operand that cannot be resolved (a variable other than the script's own folder) is listed by name in the pin as
 * {@link #NOT_PINNED}, so the user sees it when approving; it does not refuse the run (it would refuse every such
 * script, and its content was never known).
 */
final class LoadedFiles {
    /** The digest shown for a sourced operand that names no file Lathe can find. */
    static final String NOT_PINNED = "not-pinned";
    private static final int SOURCE_DEPTH = 3;
    /** Files found at most (the caller keeps fewer): bounds the scripts read for one command, however many they source. */
    private static final int MAX_FOUND = 64;
    private static final long MAX_SCRIPT_BYTES = 512 * 1024;
    private static final Pattern SOURCE = Pattern.compile("(?:^|[;&|{(]|\\bthen|\\bdo|\\belse)[ \\t]*(?:\\.|source)[ \\t]+([^;&|#\\n]+)", Pattern.MULTILINE);
    private static final Pattern SHEBANG_SHELL = Pattern.compile("^#!\\s*\\S*?(?:/|\\benv\\s+(?:-\\S+\\s+)*)(?:ba|z|da|k|)sh\\b");
    /** {@code $(dirname "$0")}, {@code `dirname $0`}, {@code ${0%/*}}, {@code ${BASH_SOURCE[0]%/*}} and like: the script's folder. */
    private static final Pattern SCRIPT_FOLDER = Pattern.compile(
            "^(?:\\$\\(\\s*dirname\\s+(?:--\\s+)?\\$\\{?(?:0|BASH_SOURCE(?:\\[0])?)}?\\s*\\)|`\\s*dirname\\s+(?:--\\s+)?\\$\\{?(?:0|BASH_SOURCE(?:\\[0])?)}?\\s*`"
                    + "|\\$\\{(?:0|BASH_SOURCE(?:\\[0])?)%/\\*})(/\\S*)?");
    /** {@code $SCRIPT_DIR/x}, {@code ${HERE}/x}, {@code $CLAUDE_PROJECT_DIR/x}: a folder variable, guessed as the script's or the working folder. */
    private static final Pattern FOLDER_VARIABLE = Pattern.compile("^\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?(/\\S*)");
    private static final Set<String> MAKE = Set.of("make", "gmake");
    private static final Set<String> NPM_RUNS = Set.of("run", "run-script", "rum", "urn", "test", "t", "tst", "start", "stop", "restart");
    private static final Set<String> PNPM_YARN_NOT_SCRIPTS = Set.of("add", "install", "i", "remove", "rm", "dlx", "exec", "x", "create", "init", "up", "upgrade");

    private LoadedFiles() {}

    /**
     * The files {@code words} (a command line's words, its working folders {@code bases}) and the pinned
     * {@code scripts} it runs load by themselves, named as {@link ReferencedFiles} names files, each with its digest.
     */
    static Map<String, String> digests(Path root, Set<Path> bases, List<String> words, List<Path> scripts) {
        Map<String, String> out = new TreeMap<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path script : scripts) sourced(root, bases, script, script, 1, seen, out);
        for (int i = 0; i < words.size(); i++) {
            String command = words.get(i).substring(words.get(i).lastIndexOf('/') + 1);
            String next = i + 1 < words.size() ? words.get(i + 1) : "";
            if (command.startsWith("python") && next.equals("-m") && i + 2 < words.size()) pythonModule(root, bases, words.get(i + 2), out);
            if (MAKE.contains(command)) makefiles(root, bases, words.subList(i + 1, words.size()), out);
            boolean scriptRun = switch (command) {
                case "npm" -> NPM_RUNS.contains(next);
                case "pnpm", "yarn" -> !next.isEmpty() && !PNPM_YARN_NOT_SCRIPTS.contains(next);
                case "bun" -> next.equals("run") || next.equals("test");
                default -> false;
            };
            if (scriptRun) for (Path base : bases) file(root, base.resolve("package.json"), out);
        }
        return out;
    }

    /** What {@code script} sources, when it is a shell script; {@code top} is the script {@code $0} names. */
    private static void sourced(Path root, Set<Path> bases, Path top, Path script, int depth, Set<Path> seen, Map<String, String> out) {
        if (depth > SOURCE_DEPTH || out.size() >= MAX_FOUND || !seen.add(script.normalize())) return;
        String text = text(script);
        if (text == null || !isShellScript(script, text)) return;
        Matcher m = SOURCE.matcher(text);
        while (m.find() && out.size() < MAX_FOUND) {
            String operand = word(m.group(1).strip().replace("\"", "").replace("'", ""));
            if (operand.isEmpty()) continue;
            List<Path> found = new ArrayList<>();
            for (Path candidate : candidates(root, bases, top, script, operand)) {
                if (FileDigest.of(candidate).isEmpty()) continue;
                found.add(candidate);
                file(root, candidate, out);
                sourced(root, bases, top, candidate, depth + 1, seen, out);
            }
            if (found.isEmpty()) out.putIfAbsent(ReferencedFiles.named(root, script) + " sources " + operand, NOT_PINNED);
        }
    }

    /** The project files a {@code .}/{@code source} operand may name, from the script's folder or the working folders. */
    private static Set<Path> candidates(Path root, Set<Path> bases, Path top, Path script, String operand) {
        Set<Path> out = new LinkedHashSet<>();
        List<Path> scriptFolders = new ArrayList<>();
        for (Path s : List.of(top, script)) {
            if (s.getParent() != null) scriptFolders.add(s.getParent());
            // the shell takes scripts/../lib physically: from where a link to the script's folder leads
            try {
                Path real = s.toRealPath().getParent();
                if (real != null && real.startsWith(root)) scriptFolders.add(real);
            } catch (IOException | RuntimeException e) {
                // gone meanwhile: its name only
            }
        }
        String rest;
        List<Path> from;
        Matcher own = SCRIPT_FOLDER.matcher(operand);
        Matcher variable = FOLDER_VARIABLE.matcher(operand);
        if (own.lookingAt()) {
            rest = own.group(1) == null ? "" : own.group(1).substring(1);
            from = scriptFolders;
        } else if (variable.lookingAt()) {
            rest = variable.group(1).substring(1);
            from = new ArrayList<>(scriptFolders);
            from.addAll(bases);
            from.add(root);
        } else if (operand.contains("$") || operand.contains("`")) {
            return out; // a value only the running shell knows
        } else {
            rest = operand;
            from = new ArrayList<>(bases);
            from.addAll(scriptFolders); // a name without a slash may also be found beside the script (bash's PATH search aside)
        }
        if (rest.isEmpty() || rest.contains("$") || rest.length() > 4096 || rest.indexOf('\0') >= 0) return out;
        try {
            Path p = Path.of(rest);
            if (p.isAbsolute()) out.add(p.normalize());
            else for (Path base : from) out.add(base.resolve(p).normalize());
        } catch (RuntimeException e) {
            // not a path
        }
        out.removeIf(p -> !p.startsWith(root) || p.startsWith(root.resolve(".git")));
        return out;
    }

    /** The operand's first word (the words after it are the sourced file's arguments), {@code $(dirname "$0")} kept whole. */
    private static String word(String operand) {
        Matcher own = SCRIPT_FOLDER.matcher(operand);
        if (own.lookingAt()) return own.group();
        String[] words = operand.split("\\s+");
        return words.length == 0 ? "" : words[0];
    }

    static boolean isShellScript(Path file, String text) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (name.endsWith(".sh") || name.endsWith(".bash")) return true;
        int end = text.indexOf('\n');
        return SHEBANG_SHELL.matcher(end < 0 ? text : text.substring(0, end)).find();
    }

    /** {@code python -m pkg.mod}: the top package's folder whole (its {@code __init__}, {@code mod} and siblings), or {@code pkg.py}. */
    private static void pythonModule(Path root, Set<Path> bases, String module, Map<String, String> out) {
        if (!module.matches("[A-Za-z_][A-Za-z0-9_.]*")) return;
        String[] parts = module.split("\\.");
        for (Path base : bases) {
            Path top = base.resolve(parts[0]).normalize();
            if (!top.startsWith(root)) continue;
            if (Files.isDirectory(top)) FileDigest.ofFolderWithout(top, Set.of("__pycache__")).ifPresent(hash -> out.putIfAbsent("module folder " + ReferencedFiles.named(root, top), hash));
            file(root, base.resolve(String.join("/", parts) + ".py"), out);
            file(root, base.resolve(parts[0] + ".py"), out);
        }
    }

    /** {@code make [-C dir] ...}: the makefile make reads in that folder (each of the names it tries). */
    private static void makefiles(Path root, Set<Path> bases, List<String> args, Map<String, String> out) {
        Set<Path> folders = new LinkedHashSet<>(bases);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String dir = (a.equals("-C") || a.equals("--directory")) && i + 1 < args.size() ? args.get(i + 1)
                    : a.startsWith("-C") && a.length() > 2 ? a.substring(2) : null;
            if (dir == null) continue;
            for (Path base : bases) {
                try {
                    folders.add(base.resolve(dir).normalize());
                } catch (RuntimeException e) {
                    // not a path
                }
            }
        }
        for (Path folder : folders) {
            for (String name : List.of("GNUmakefile", "makefile", "Makefile")) {
                file(root, folder.resolve(name), out);
                included(root, folder, folder.resolve(name), 1, new LinkedHashSet<>(), out);
            }
        }
    }

    /** An {@code include}, {@code -include} or {@code sinclude} line of a makefile, its operands in group 1. */
    private static final Pattern MAKE_INCLUDE = Pattern.compile("(?m)^[ ]*(?:-include|sinclude|include)[ \\t]+([^#\\n]*)");

    /**
     * The makefiles {@code makefile} includes, pinned as it is (issue 52): make reads them as part of it, so a rule
     * changed there runs as much as one changed in the makefile. Relative names are make's: from the folder make runs
     * in; an operand naming a variable only make knows is listed as not pinned.
     */
    private static void included(Path root, Path folder, Path makefile, int depth, Set<Path> seen, Map<String, String> out) {
        if (depth > SOURCE_DEPTH || out.size() >= MAX_FOUND || !seen.add(makefile.normalize())) return;
        String text = text(makefile);
        if (text == null) return;
        Matcher m = MAKE_INCLUDE.matcher(text);
        while (m.find() && out.size() < MAX_FOUND) {
            for (String operand : m.group(1).strip().split("\\s+")) {
                if (operand.isEmpty()) continue;
                if (operand.contains("$") || operand.contains("*") || operand.contains("?") || operand.contains("[")) {
                    out.putIfAbsent(ReferencedFiles.named(root, makefile) + " includes " + operand, NOT_PINNED);
                    continue;
                }
                try {
                    Path p = folder.resolve(operand).normalize();
                    file(root, p, out);
                    included(root, folder, p, depth + 1, seen, out);
                } catch (RuntimeException e) {
                    // not a path
                }
            }
        }
    }

    private static void file(Path root, Path candidate, Map<String, String> out) {
        Path p = candidate.normalize();
        if (!p.startsWith(root) || p.startsWith(root.resolve(".git"))) return;
        FileDigest.of(p).ifPresent(hash -> out.putIfAbsent(ReferencedFiles.named(root, p), hash));
    }

    /** A script's text through the gateway, or null when it is not a small regular file. */
    private static String text(Path script) {
        try {
            if (!Files.isRegularFile(script) || Files.size(script) > MAX_SCRIPT_BYTES) return null;
            return FileGateway.anywhere().readString(script);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
