package dev.lathe.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * A deterministic source-like tree for {@link GrepBench}: folders of about a dozen files each (Java, TypeScript, Python,
 * Go, Markdown, JSON/YAML), each file 10 to ~500 lines (about 2 KB on average). Some of it must stay out of every search,
 * so ignore handling is exercised: a {@code .git} folder, a {@code node_modules} folder, {@code build/} and
 * {@code target/} folders and {@code *.log} files hidden by the root {@code .gitignore}, {@code web/dist/} hidden by a
 * nested one, and binary files (a NUL in the first bytes). About 1 % of the files hold one to three lines matching
 * {@link #NEEDLE}, hidden ones too, so a search that leaks through an ignore rule finds more than {@link #expected}.
 *
 * <p>The same {@code files} count always gives the same paths and bytes (each file is seeded by its index), so trees
 * can be written in parallel and reused across runs through a marker in {@code .git}.
 */
final class SourceTree {
    /** The regex searched for; files hold lines like {@code // lathe_needle_4711 check}. */
    static final String NEEDLE = "lathe_needle_[0-9]+";
    private static final String MARKER = ".git/lathe-grepbench";
    private static final int VERSION = 1;
    private static final int FILES_PER_DIR = 12;

    private enum Kind {
        JAVA("services/svc%d/src/main/java/com/acme/svc%<d", ".java", Visibility.SEARCHED),
        TS("web/src/components/c%d", ".ts", Visibility.SEARCHED),
        PY("tools/py/pkg%d", ".py", Visibility.SEARCHED),
        GO("cmd/go%d/internal", ".go", Visibility.SEARCHED),
        DOCS("docs/section%d", ".md", Visibility.SEARCHED),
        CONFIG("config/env%d", ".json", Visibility.SEARCHED),
        BINARY("assets/img%d", ".png", Visibility.BINARY),
        BUILD("build/out%d/classes", ".class.txt", Visibility.IGNORED),       // root .gitignore: build/
        TARGET("services/svc%d/target/generated", ".java", Visibility.IGNORED), // root .gitignore: target/
        DIST("web/dist/chunk%d", ".js", Visibility.IGNORED),                   // web/.gitignore: dist/
        NODE("node_modules/lib%d/lib", ".js", Visibility.IGNORED),             // never searched
        GIT(".git/objects/%02x", "", Visibility.IGNORED);                       // never searched

        final String folder;
        final String extension;
        final Visibility visibility;

        Kind(String folder, String extension, Visibility visibility) {
            this.folder = folder;
            this.extension = extension;
            this.visibility = visibility;
        }
    }

    private enum Visibility { SEARCHED, BINARY, IGNORED }

    /** Share of folders per kind, in per mille, in {@link Kind} order; sums to 1000. */
    private static final int[] WEIGHTS = {330, 180, 90, 60, 50, 40, 20, 80, 50, 40, 30, 30};

    private SourceTree() {}

    /** A written tree: its root, its file count and how many lines a correct search finds. */
    record Tree(Path root, int files, long expected) {}

    /**
     * The tree of {@code files} files in {@code root}: reused when a marker of the same size and version is there,
     * written when {@code root} is missing or empty.
     *
     * @throws IllegalStateException when {@code root} holds something else, so a mistyped {@code --dir} is never filled
     */
    static Tree at(Path root, int files) throws IOException {
        Optional<Tree> existing = read(root, files);
        if (existing.isPresent()) return existing.get();
        if (Files.isDirectory(root)) {
            try (var entries = Files.list(root)) {
                if (entries.findAny().isPresent()) throw new IllegalStateException(root + " is neither empty nor a GrepBench tree of " + files + " files");
            }
        }
        return write(root, files);
    }

    private static Optional<Tree> read(Path root, int files) throws IOException {
        Path marker = root.resolve(MARKER);
        if (!Files.isRegularFile(marker)) return Optional.empty();
        String[] f = Files.readString(marker).strip().split(" ");
        if (f.length != 3 || Integer.parseInt(f[0]) != VERSION || Integer.parseInt(f[1]) != files) return Optional.empty();
        return Optional.of(new Tree(root, files, Long.parseLong(f[2])));
    }

    private static Tree write(Path root, int files) throws IOException {
        Files.createDirectories(root.resolve(".git/refs/heads"));
        Files.writeString(root.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(root.resolve(".git/config"), "[core]\n\trepositoryformatversion = 0\n\tbare = false\n");
        Files.writeString(root.resolve(".gitignore"), "# build output\nbuild/\ntarget/\n*.log\n");
        Files.createDirectories(root.resolve("web"));
        Files.writeString(root.resolve("web/.gitignore"), "dist/\n");
        int dirs = (files + FILES_PER_DIR - 1) / FILES_PER_DIR;
        for (int d = 0; d < dirs; d++) Files.createDirectories(root.resolve(folder(d)));
        AtomicLong expected = new AtomicLong();
        IntStream.range(0, files).parallel().forEach(i -> {
            try {
                expected.addAndGet(writeFile(root, i));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Files.writeString(root.resolve(MARKER), VERSION + " " + files + " " + expected.get() + "\n");
        return new Tree(root, files, expected.get());
    }

    private static Kind kind(int dir) {
        int pick = (int) Math.floorMod(mix(dir), 1000L);
        for (int k = 0; k < WEIGHTS.length; k++) {
            if (pick < WEIGHTS[k]) return Kind.values()[k];
            pick -= WEIGHTS[k];
        }
        throw new AssertionError();
    }

    /** Nested a few levels below the kind's own folder, so walks descend as in a real project. */
    private static String folder(int dir) {
        Kind kind = kind(dir);
        String base = String.format(kind.folder, kind == Kind.GIT ? dir % 256 : dir % 13);
        return kind == Kind.GIT ? base : base + "/m" + (dir / 13) % 8 + "/p" + dir / 104;
    }

    /** Writes file {@code i} and returns how many of its lines a correct search finds. */
    private static long writeFile(Path root, int i) throws IOException {
        int dir = i / FILES_PER_DIR;
        Kind kind = kind(dir);
        var r = new SplittableRandom(mix(i));
        // one .log per ~40 searched files: hidden by *.log, with its needle lines
        boolean log = kind.visibility == Visibility.SEARCHED && r.nextInt(40) == 0;
        String name = kind == Kind.GIT ? Long.toHexString(mix(i) & 0xffff_ffff_ffffL) : stem(kind, i) + (log ? ".log" : kind.extension);
        int lines = 10 + r.nextInt(60) + (r.nextInt(10) == 0 ? r.nextInt(400) : 0);
        int needles = r.nextInt(100) == 0 ? 1 + r.nextInt(3) : 0;
        var sb = new StringBuilder(lines * 40);
        if (kind.visibility == Visibility.BINARY) sb.append("\u0089PNG\r\n\u001a\n\0\0\0\rIHDR\n");
        List<String> pool = pool(kind);
        for (int n = 0; n < lines; n++) {
            if (needles > 0 && r.nextInt(lines - n) < needles) {
                sb.append(indent(n)).append(comment(kind)).append(" lathe_needle_").append(i).append(" check ").append(n).append('\n');
                needles--;
            }
            String line = pool.get(r.nextInt(pool.size()));
            sb.append(indent(n)).append(line.replace("#", Integer.toString(r.nextInt(1000)))).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(kind.visibility == Visibility.BINARY ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        Files.write(root.resolve(folder(dir)).resolve(name), bytes);
        if (kind.visibility != Visibility.SEARCHED || log) return 0;
        return sb.toString().lines().filter(l -> l.contains("lathe_needle_")).count();
    }

    private static String stem(Kind kind, int i) {
        String[] nouns = {"Order", "Invoice", "Customer", "Session", "Cache", "Router", "Parser", "Client", "Store", "Event"};
        String[] roles = {"Service", "Handler", "Repository", "Util", "Config", "Test", "Model", "View", "Factory", "Mapper"};
        String camel = nouns[i % 10] + roles[(i / 10) % 10] + i;
        return switch (kind) {
            case JAVA, TARGET, BUILD -> camel;
            case PY, GO -> camel.toLowerCase() + "_" + (i % 7);
            default -> camel.substring(0, 1).toLowerCase() + camel.substring(1);
        };
    }

    private static String comment(Kind kind) {
        return switch (kind) {
            case PY -> "#";
            case DOCS -> "<!--";
            case CONFIG -> "\"note\":";
            default -> "//";
        };
    }

    private static String indent(int n) { return "    ".repeat(n % 3); }

    private static List<String> pool(Kind kind) {
        return switch (kind) {
            case PY -> PY;
            case DOCS -> DOCS;
            case CONFIG -> CONFIG;
            default -> CODE;
        };
    }

    private static final List<String> CODE = List.of(
            "private final Map<String, List<Item>> itemsById = new HashMap<>(#);",
            "if (request.timeoutMillis() > # && !cancelled) {",
            "return values.stream().filter(v -> v.weight() > #).map(Value::name).toList();",
            "}",
            "",
            "/** Returns the cached entry for the key, loading it on a miss (attempt #). */",
            "public static int checksum(byte[] data, int offset) { return Arrays.hashCode(data) ^ #; }",
            "throw new IllegalStateException(\"unexpected state \" + state + \" at step #\");",
            "for (int i = 0; i < #; i++) total += weights[i] * factor;",
            "import com.acme.common.util.Strings#;",
            "export function render#(props: Props): Element { return h('div', props.children); }",
            "const retries = config.get('retries') ?? #;",
            "func (s *Server) handle#(w http.ResponseWriter, r *http.Request) error {",
            "log.debug(\"flushed {} records in {} ms\", count, #);",
            "@Override public String toString() { return \"Node[\" + id + \", #]\"; }");

    private static final List<String> PY = List.of(
            "def load_#(path: str) -> dict:", "return {k: v for k, v in items if v is not None}", "import os, sys  # #",
            "class Handler#(BaseHandler):", "", "if __name__ == '__main__':", "logger.info('processed %d rows', #)",
            "raise ValueError(f'bad value {value!r} at #')");

    private static final List<String> DOCS = List.of(
            "## Section #", "", "The service retries a failed call up to # times with exponential backoff.",
            "- `--timeout` sets the request timeout in seconds (default #)", "See [the design](../design.md#part-#) for details.",
            "```sh", "make build && ./run --port #", "```");

    private static final List<String> CONFIG = List.of(
            "{", "\"name\": \"service-#\",", "\"replicas\": #,", "\"env\": {\"LOG_LEVEL\": \"info\", \"PORT\": \"#\"},", "},", "]");

    /** SplitMix64's finaliser: spreads consecutive indexes over the whole range. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
