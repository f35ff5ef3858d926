package dev.lathe.core.permission;

import dev.lathe.tools.FileGateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one check every file Lathe itself reads into the model's context passes first (issue 40): instruction files
 * ({@code AGENTS.md}, {@code CLAUDE.md}, {@code instructions} entries, nested ones surfaced by {@code read}), skills,
 * agent and command files. Any of them can be a link (or sit in a linked folder) to a file elsewhere — a home secret, a
 * private key — which would otherwise go to the provider with the next request. So a file is resolved to its real path
 * before it is read, and:
 * <ul>
 *   <li>a file found inside the project whose real path is outside it, and an import a project's memory file or an
 *       {@code instructions} entry of its own config names outside it, is withheld until the folder is trusted; then,
 *       as for the {@code read} tool, the {@code external_directory} rule of its real path decides first (only an allow lets it in: nobody can be asked while a prompt is built), then the {@code read} rules;</li>
 *   <li>the kernel's folders and, for a project's file, Lathe's own folders are never included ({@link PrivatePaths});</li>
 *   <li>the {@code read} rules apply to the path as found and to the real path: a deny leaves the file out, and so
 *       does an ask (nobody can be asked while a prompt is built) when its rule names the path — a catch-all
 *       {@code "*": "ask"} does not hide the project's own instructions, but does hide a file a link leads out to.</li>
 * </ul>
 * Each file left out is told to {@code skipped} with the reason, so the caller can say it once. The file admitted is
 * read through the project's {@link FileGateway} (issue 52): one no-follow handle whose file must be the one checked,
 * and the same rules applied to its other names, so a hard link to a denied {@code .env} stays out too.
 */
public final class PromptFiles {
    /** Whether a project file may lead out of the project: only in a trusted folder. */
    public enum Outside { WITHHELD, READ_RULES }

    /**
     * A file left out: {@code file} as found, {@code reason} in words; {@code untilTrusted} when trusting the folder
     * would include it (a link out of an untrusted project).
     */
    public record Skipped(Path file, String reason, boolean untilTrusted, java.util.Optional<String> importedBy) {
        public Skipped(Path file, String reason, boolean untilTrusted) {
            this(file, reason, untilTrusted, java.util.Optional.empty());
        }

        /** One line for the user, e.g. {@code AGENTS.md was not put in the prompt: it links to /home/u/.ssh/id_rsa, outside the project}. */
        public String message() { return file + " was not put in the prompt: " + reason; }
    }

    private final Path root;
    private final Path realRoot;
    private final Path workingDir;
    private final Ruleset rules;
    private final Outside outside;
    private final PrivatePaths privatePaths;
    private final Consumer<Skipped> skipped;
    private final FileGateway files;
    private final Path userHome;

    /**
     * @param root       the project's root (the repository root), real; files found below it are the project's
     * @param workingDir the folder sessions run in, real; {@code read} rules name paths relative to it, as the read tool's do
     * @param rules      the project's permission rules
     */
    public PromptFiles(Path root, Path workingDir, Ruleset rules, Outside outside, PrivatePaths privatePaths, Consumer<Skipped> skipped) {
        this(root, workingDir, rules, outside, privatePaths, skipped, Path.of(System.getProperty("user.home")));
    }

    /** As above; {@code userHome}: the home folder whose {@code ~/.claude} memory and {@code ~/} imports are the user's (DESIGN §27). */
    public PromptFiles(Path root, Path workingDir, Ruleset rules, Outside outside, PrivatePaths privatePaths, Consumer<Skipped> skipped, Path userHome) {
        this.userHome = userHome;
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = real(this.root);
        this.workingDir = real(workingDir.toAbsolutePath().normalize());
        this.rules = rules;
        this.outside = outside;
        this.privatePaths = privatePaths;
        this.skipped = skipped;
        this.files = FileGateway.of(this.realRoot, new ReadHolds(rules, this.workingDir));
    }

    /**
     * The check for a folder with no rules of its own to apply (read everything, links out included), which still keeps
     * the kernel's folders out: for listings that only show names and descriptions, and for tests of the loaders.
     */
    public static PromptFiles lenient(Path root) {
        return new PromptFiles(root, root, new Ruleset(List.of(new Rule("read", "*", Action.ALLOW, RuleOrigin.NO_RULE),
                new Rule("external_directory", "*", Action.ALLOW, RuleOrigin.NO_RULE))), Outside.READ_RULES,
                new PrivatePaths(List.of()), s -> { });
    }

    /** The user's home folder: where {@code ~/.claude} memory is read from and {@code @~/} imports lead. */
    public Path userHome() {
        return userHome;
    }

    /** Whether the folder is trusted: what its files allow may apply (an untrusted folder's links out are withheld). */
    public boolean folderTrusted() {
        return outside == Outside.READ_RULES;
    }

    /** The real path to read {@code file} from, or empty when it must stay out of the prompt (told to {@code skipped}). */
    public Optional<Path> admit(Path file) {
        return admit(file, Source.FOUND) instanceof Admission.Admitted(Path real) ? Optional.of(real) : Optional.empty();
    }

    /**
     * Where a file comes from: {@code FOUND} where Lathe looks (the project's folders, the user's own), or
     * {@code PROJECT_NAMED}, named by the project — an {@code @path} import in one of its memory files, an
     * {@code instructions} entry of its own config — which makes it the project's wherever it is.
     */
    private enum Source { FOUND, PROJECT_NAMED }

    /** A file let in, at its real path, or left out for a reason in words (already told to {@code skipped}). */
    private sealed interface Admission {
        record Admitted(Path real) implements Admission {}

        record Left(String reason) implements Admission {}
    }

    private Admission admit(Path file, Source source) {
        Path found = file.toAbsolutePath().normalize();
        Path real;
        try {
            real = found.toRealPath();
        } catch (IOException e) {
            return new Admission.Left("it does not exist or leads nowhere"); // nothing to include
        }
        // a file found in Lathe's own folders is the user's (the global AGENTS.md, user skills), even when the project is the home folder
        boolean projects = source == Source.PROJECT_NAMED || found.startsWith(root) && privatePaths.why(found).isEmpty();
        boolean escapes = projects && !real.startsWith(realRoot);
        Optional<String> off = projects ? privatePaths.why(real) : PrivatePaths.kernel(real);
        if (off.isPresent()) return skip(found, "it leads to " + real + " (" + off.get() + ")", false);
        if (escapes && outside == Outside.WITHHELD) {
            return skip(found, "it links to " + real + ", outside the project, and this folder is not trusted (run lathe trust to include it)", true);
        }
        if (escapes) {
            // the project's file leads out of it (a link, an import of ~/.ssh/id_rsa): the read tool would ask
            // external_directory for that real path first, so it is asked here too, and nobody can answer while a
            // prompt is built: only an allow rule lets it in (decision 559)
            Optional<Rule> ext = rules.winner("external_directory", real.toString());
            if (ext.isEmpty() || ext.get().action() != Action.ALLOW) {
                String rule = ext.map(r -> "the external_directory rule '" + r.pattern() + "': " + r.action().name().toLowerCase(java.util.Locale.ROOT))
                        .orElse("no external_directory rule allows it");
                return skip(found, "it leads to " + real + ", outside the project, and " + rule + " (a prompt being built cannot ask); to include it,"
                        + " allow that path as for the read tool: \"permission\": {\"external_directory\": {\"" + real + "\": \"allow\"}}", false);
            }
        }
        List<String> values = new ArrayList<>();
        values.add(value(found));
        if (!real.equals(found)) values.add(value(real));
        for (String value : values) {
            Optional<Rule> rule = rules.winner("read", value);
            if (rule.isEmpty()) {
                if (escapes) return skip(found, "no read rule allows " + value + ", outside the project", false);
                continue;
            }
            Rule r = rule.get();
            if (r.action() == Action.DENY) return skip(found, "the read rule '" + r.pattern() + "': deny holds back " + value, false);
            if (r.action() == Action.ASK && (escapes || Pattern.specificity(r.pattern()) > 0)) {
                return skip(found, "the read rule '" + r.pattern() + "': ask holds back " + value + " (a prompt being built cannot ask)", false);
            }
        }
        return new Admission.Admitted(real);
    }

    /** The text of {@code file} (UTF-8) when it is admitted; empty when it is left out or missing. */
    public Optional<String> read(Path file) throws IOException {
        Optional<Path> real = admit(file);
        if (real.isEmpty()) return Optional.empty();
        // read through the gateway's one handle, which must be the file just checked: a link swapped in since is never
        // followed, and a hard link of a file the rules hold back is that file (nobody can be asked: ask means skip)
        try (FileGateway.Opened opened = gate(real.get()).open(real.get(), FileGateway.Hold.ASK)) {
            return Optional.of(new String(opened.readAllBytes(), StandardCharsets.UTF_8));
        } catch (FileGateway.Refused e) {
            skip(file.toAbsolutePath().normalize(), "it changed while being read, or is held back under another name (" + e.getMessage() + ")", false);
            return Optional.empty();
        } catch (IOException e) {
            skip(file.toAbsolutePath().normalize(), "it changed while being read (" + e.getMessage() + ")", false);
            return Optional.empty();
        }
    }

    /** What reading an import gave: at most {@code maxBytes + 1} of its bytes, or why it was left out, in words. */
    public sealed interface Imported {
        record Read(byte[] bytes) implements Imported {}

        record Left(String reason) implements Imported {}
    }

    /**
     * An import a project's memory file names ({@code @path} in a {@code CLAUDE.md}, DESIGN §27): as {@link #read(Path,
     * int)}, and a file outside the project (as named, or really, behind a link) is the project's reaching out: withheld
     * until the folder is trusted, like a link out of it, and once trusted let in only when an {@code external_directory}
     * rule allows its real path, as the {@code read} tool would ask (Claude Code approves such imports apart, too).
     */
    public Imported readImport(Path file, String importedBy, int maxBytes) throws IOException {
        Path found = file.toAbsolutePath().normalize();
        Path real = real(found);
        if (outside == Outside.WITHHELD && !(found.startsWith(root) && real.startsWith(realRoot))) {
            String reason = "it is imported by " + importedBy + " from outside the project, and this folder is not trusted (run lathe trust to include it)";
            skipped.accept(new Skipped(found, reason, true, Optional.of(importedBy)));
            return new Imported.Left(reason);
        }
        return readNamed(found, maxBytes);
    }

    /**
     * A file an {@code instructions} entry of the project's own config names (a path or a glob, decision 641): as an
     * import, the project's wherever it is, so a file outside the project — as named, or really, behind a link — is let
     * in only when the {@code external_directory} rule of its real path allows it, as the {@code read} tool would ask;
     * in an untrusted folder a link out is withheld as any link out of it is (entries naming outside paths never get
     * here: trust withholds them from the config). The user's own entries are read with {@link #read(Path, int)}.
     */
    public Imported readEntry(Path file, int maxBytes) throws IOException {
        return readNamed(file.toAbsolutePath().normalize(), maxBytes);
    }

    /** At most {@code maxBytes + 1} bytes of a file the project names, or why it was left out. */
    private Imported readNamed(Path found, int maxBytes) throws IOException {
        return switch (admit(found, Source.PROJECT_NAMED)) {
            case Admission.Left(String reason) -> new Imported.Left(reason);
            case Admission.Admitted(Path admitted) -> {
                try (FileGateway.Opened opened = gate(admitted).open(admitted, FileGateway.Hold.ASK)) {
                    yield new Imported.Read(opened.in().readNBytes(maxBytes + 1));
                } catch (FileGateway.Refused e) {
                    String reason = "it changed while being read, or is held back under another name (" + e.getMessage() + ")";
                    skip(found, reason, false);
                    yield new Imported.Left(reason);
                }
            }
        };
    }

    /**
     * At most {@code maxBytes + 1} bytes of {@code file} when it is admitted (more than {@code maxBytes} tells the caller
     * it is too large, without reading the rest); empty when it is left out or missing.
     */
    public Optional<byte[]> read(Path file, int maxBytes) throws IOException {
        Optional<Path> real = admit(file);
        if (real.isEmpty()) return Optional.empty();
        try (FileGateway.Opened opened = gate(real.get()).open(real.get(), FileGateway.Hold.ASK)) {
            return Optional.of(opened.in().readNBytes(maxBytes + 1));
        } catch (FileGateway.Refused e) {
            skip(file.toAbsolutePath().normalize(), "it changed while being read, or is held back under another name (" + e.getMessage() + ")", false);
            return Optional.empty();
        }
    }

    private Admission skip(Path file, String reason, boolean untilTrusted) {
        skipped.accept(new Skipped(file, reason, untilTrusted));
        return new Admission.Left(reason);
    }

    /** The project's gateway, widened to the folder of an admitted file outside it (trust or an allow rule let it in). */
    private FileGateway gate(Path admitted) {
        return admitted.startsWith(realRoot) ? files : files.alsoWithin(admitted.getParent());
    }

    /** How a {@code read} rule names {@code p}: relative to the working folder inside it, else absolute (as the read tool's check). */
    private String value(Path p) {
        if (p.startsWith(workingDir)) {
            String rel = workingDir.relativize(p).toString().replace('\\', '/');
            return rel.isEmpty() ? "." : rel;
        }
        return p.toString();
    }

    /** The real path of a folder, or the folder as given when it does not exist. */
    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }
}
