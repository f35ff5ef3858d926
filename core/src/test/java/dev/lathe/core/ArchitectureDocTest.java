package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/architecture.md names only what exists where it says (issue 54): a newcomer who follows it finds each type,
 * member, package and file it puts in backticks. A type must be declared in main sources, or be a test (named
 * {@code *Test}, {@code *IT}, {@code *Contract}, {@code *Fixture}) or one of {@link #TEST_HELPERS}; a
 * {@code Type.member} must name an identifier of the file declaring the type; "{@code `Type` (`package`)}" must be
 * where it says; a package and a repository path must exist. Core's tests run in {@code core/}, so the repository is
 * {@code ..}.
 */
class ArchitectureDocTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern CODE = Pattern.compile("`([^`\\n]+)`");
    /** {@code Type}, {@code Outer.Inner}, {@code Type.member}, {@code Type.member(args)}, {@code Type.CONSTANT}. */
    private static final Pattern TYPE = Pattern.compile("([A-Z][A-Za-z0-9]*)((?:\\.[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)*)(?:\\.([A-Za-z_]\\w*))?(?:\\(.*\\))?");
    private static final Pattern PACKAGE = Pattern.compile("(?:dev\\.lathe\\.)?([a-z]+)((?:\\.[a-z]\\w*)+)");
    private static final Pattern PATH = Pattern.compile("[a-z0-9_.-]+(?:/[\\w.-]+)+/?");
    private static final Pattern PLACED = Pattern.compile("`([A-Z]\\w*)`\\s*\\(`((?:dev\\.lathe\\.)?[a-z]+(?:\\.[a-z]\\w*)+)`");
    private static final Pattern DECLARATION = Pattern.compile("\\b(?:class|interface|record|enum)\\s+([A-Z]\\w*)");

    /** Test code the document names that is not named like a test. */
    private static final Set<String> TEST_HELPERS = Set.of("PackageGraph");
    /** Types of the JDK, and words that are not types (HTTP methods and headers, SQL, variables). */
    private static final Set<String> NOT_LATHE = Set.of("System", "AtomicReference", "Host", "CI", "GET", "LISTEN", "FINISHED");
    /** Dotted names that are events or keys, not packages. */
    private static final Set<String> NOT_PACKAGES = Set.of("server.connected", "server.heartbeat", "server.json");

    @Test
    void everyTypePackageAndFileItNamesExistsWhereItSays() throws IOException {
        assertThat(problems(ROOT, Files.readString(ROOT.resolve("docs/architecture.md"))))
                .as("names in docs/architecture.md that the code does not have (fix the document, or the name)")
                .isEmpty();
    }

    @Test
    void findsAMissingTypeAMissingMemberAMisplacedTypeAndAMissingFile(@TempDir Path root) throws IOException {
        write(root, "core/src/main/java/dev/lathe/core/a/Here.java", "package dev.lathe.core.a;\npublic final class Here { void open() {} record Inner() {} }\n");
        write(root, "core/src/test/java/dev/lathe/core/a/HereTest.java", "package dev.lathe.core.a;\nclass HereTest {}\nclass Helper {}\n");
        String doc = "`Here` (`core.a`), `Here.open()`, `Here.Inner`, `HereTest`, `core.a`, `core/src/main/java/dev/lathe/core/a/Here.java`\n"
                + "`Gone`, `Here.close()`, `Here` (`core.b`), `core.b`, `core/missing.txt`, `Helper`\n";
        assertThat(problems(root, doc)).containsExactlyInAnyOrder(
                "type Gone: not declared in main sources",
                "member Here.close(): no close in Here's file",
                "Here is not in core.b",
                "package core.b: no such folder",
                "path core/missing.txt: no such file",
                "type Helper: declared only in tests, and not named like a test");
    }

    static List<String> problems(Path root, String doc) throws IOException {
        Map<String, List<Path>> mainTypes = new HashMap<>();
        Map<String, List<Path>> testTypes = new HashMap<>();
        Set<String> packages = new HashSet<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/target/") && !f.toString().contains("/.git/")).toList();
        }
        for (Path file : sources) {
            String path = root.relativize(file).toString();
            boolean test = path.contains("/src/test/");
            int java = path.indexOf("/java/");
            if (java < 0) continue;
            packages.add(path.substring(java + 6, path.lastIndexOf('/')).replace('/', '.'));
            Matcher m = DECLARATION.matcher(PackageGraph.stripped(read(file)));
            while (m.find()) (test ? testTypes : mainTypes).computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(file);
        }
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Matcher code = CODE.matcher(doc);
        while (code.find()) {
            String name = code.group(1);
            if (!seen.add(name)) continue;
            Matcher type = TYPE.matcher(name);
            Matcher pkg = PACKAGE.matcher(name);
            if (type.matches()) {
                checkType(type, mainTypes, testTypes, problems);
            } else if (pkg.matches() && Files.isDirectory(root.resolve(pkg.group(1))) && !NOT_PACKAGES.contains(name)) {
                if (!packages.contains(qualified(name))) problems.add("package " + name + ": no such folder");
            } else if (PATH.matcher(name).matches() && !name.matches(".*/[A-Z_]+(/.*)?")) {
                String first = name.substring(0, name.indexOf('/'));
                Path base = Files.exists(root.resolve(first)) ? root : Files.exists(root.resolve("docs").resolve(first)) ? root.resolve("docs") : null;
                if (base != null && !Files.exists(base.resolve(name))) problems.add("path " + name + ": no such file");
            }
        }
        Matcher placed = PLACED.matcher(doc);
        while (placed.find()) {
            String type = placed.group(1);
            String dir = "/" + qualified(placed.group(2)).replace('.', '/') + "/" + type + ".java";
            List<Path> files = mainTypes.getOrDefault(type, List.of());
            if (!files.isEmpty() && files.stream().noneMatch(f -> f.toString().endsWith(dir))) problems.add(type + " is not in " + placed.group(2));
        }
        return problems;
    }

    private static void checkType(Matcher type, Map<String, List<Path>> mainTypes, Map<String, List<Path>> testTypes, List<String> problems) {
        String first = type.group(1);
        if (NOT_LATHE.contains(first)) return;
        String name = type.group();
        if (!mainTypes.containsKey(first)) {
            if (!testTypes.containsKey(first)) problems.add("type " + first + ": not declared in main sources");
            else if (!first.matches(".*(Test|IT|Contract|Fixture)") && !TEST_HELPERS.contains(first)) problems.add("type " + first + ": declared only in tests, and not named like a test");
            return;
        }
        String last = first;
        for (String nested : type.group(2).split("\\.")) {
            if (nested.isEmpty()) continue;
            if (!mainTypes.containsKey(nested)) {
                problems.add("type " + name + ": no " + nested + " declared");
                return;
            }
            last = nested;
        }
        String member = type.group(3);
        if (member == null) return;
        Pattern word = Pattern.compile("\\b" + Pattern.quote(member) + "\\b");
        List<Path> files = new ArrayList<>(mainTypes.get(last));
        files.addAll(mainTypes.get(first));
        if (files.stream().noneMatch(f -> word.matcher(read(f)).find())) problems.add("member " + name + ": no " + member + " in " + last + "'s file");
    }

    private static String qualified(String pkg) {
        return pkg.startsWith("dev.lathe.") ? pkg : "dev.lathe." + pkg;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path root, String name, String text) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
