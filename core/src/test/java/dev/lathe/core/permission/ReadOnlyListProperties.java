package dev.lathe.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.permission.bash.Analysis;
import dev.lathe.core.permission.bash.BashAnalyzer;
import dev.lathe.core.permission.bash.SimpleCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property tests of the read-only command list (DESIGN §26, issue 66) over generated command lines: programs of the
 * list with every option that runs a program or writes a file, in its long, {@code =}, abbreviated and clustered
 * short forms, among random safe options, quoted in every way, with {@code --} after it, environment prefixes, and
 * inside wrappers, lists, pipelines and substitutions. Under the read-only agents' rules such a line is never allowed
 * and the dangerous command itself is never judged read-only; a line that does not parse is never allowed; the
 * programs that run programs or write by nature are never read-only; and the same programs with only safe options are
 * allowed (so the judge is not simply "deny everything").
 */
class ReadOnlyListProperties {
    private static final Path PROJECT = project();
    private static final PermissionDecider DECIDER = ReadOnlyListTest.readOnlyAgent(PROJECT);
    private static final int TRIES = 250;

    /** One dangerous option of one program: {@code program} is the command's first words ({@code git diff}). */
    record Danger(String program, List<String> forms, List<String> safe, String operands) {}

    private static final List<String> SORT_SAFE = List.of("-n", "-r", "-S 64K", "-T .", "-k 2,2", "--reverse", "--buffer-size=1M", "-u", "--stable");
    private static final List<String> RG_SAFE = List.of("-n", "-i", "--glob '*.txt'", "-l", "-w", "--hidden");
    private static final List<String> FIND_SAFE = List.of("-type f", "-name '*.txt'", "-maxdepth 2", "-print", "!", "-empty");
    private static final List<String> DIFF_SAFE = List.of("--stat", "-U3", "--name-only", "--cached", "-w");
    private static final List<String> LOG_SAFE = List.of("--oneline", "-n 3", "--stat", "-p");

    static final List<Danger> DANGERS = dangers();

    private static List<Danger> dangers() {
        List<Danger> d = new ArrayList<>();
        d.add(new Danger("sort", longValued("--compress-program", "./pwn.sh"), SORT_SAFE, "big.txt"));
        d.add(new Danger("sort", longValued("--output", "out.txt"), SORT_SAFE, "big.txt"));
        d.add(new Danger("sort", shortValued('o', "out.txt", "nrub"), SORT_SAFE, "big.txt"));
        d.add(new Danger("sort", longValued("--files0-from", "big.txt"), SORT_SAFE, "big.txt"));
        for (String action : List.of("-exec ./pwn.sh {} ;", "-exec ./pwn.sh {} +", "-execdir ./pwn.sh {} ;", "-ok ./pwn.sh {} ;", "-okdir ./pwn.sh {} ;",
                "-fprint out.txt", "-fprint0 out.txt", "-fprintf out.txt %p", "-fls out.txt", "-delete")) {
            d.add(new Danger("find .", List.of(action), FIND_SAFE, ""));
        }
        for (String sub : List.of("diff", "log", "show")) {
            List<String> safe = sub.equals("diff") ? DIFF_SAFE : LOG_SAFE;
            d.add(new Danger("git " + sub, longValued("--output", "out.txt"), safe, ""));
            d.add(new Danger("git " + sub, longFlag("--ext-diff", "--e"), safe, ""));
            d.add(new Danger("git " + sub, longFlag("--textconv", "--textc"), safe, ""));
        }
        d.add(new Danger("git blame", longFlag("--textconv", "--textc"), List.of("-w", "-L 1,1"), "big.txt"));
        d.add(new Danger("rg", longValued("--pre", "./pwn.sh"), RG_SAFE, "foo big.txt"));
        d.add(new Danger("rg", longValued("--pre-glob", "'*'"), RG_SAFE, "foo big.txt"));
        d.add(new Danger("rg", longValued("--hostname-bin", "./pwn.sh"), RG_SAFE, "foo big.txt"));
        d.add(new Danger("rg", longFlag("--search-zip", "--s"), RG_SAFE, "foo big.txt"));
        d.add(new Danger("rg", shortFlag('z', "inw"), RG_SAFE, "foo big.txt"));
        d.add(new Danger("wc", longValued("--files0-from", "big.txt"), List.of("-l", "-c", "--words"), "big.txt"));
        d.add(new Danger("tail", shortFlag('f', "qv"), List.of("-n 3", "-q"), "big.txt"));
        d.add(new Danger("diff", longFlag("--paginate", "--pa"), List.of("-u", "-w", "--brief"), "big.txt big.txt"));
        return List.copyOf(d);
    }

    /** {@code --opt=v}, {@code --opt v} and every abbreviation of three characters or more in both forms. */
    private static List<String> longValued(String option, String value) {
        List<String> out = new ArrayList<>();
        for (int n = 3; n <= option.length(); n++) {
            out.add(option.substring(0, n) + "=" + value);
            out.add(option.substring(0, n) + " " + value);
        }
        return out;
    }

    /** The flag and every abbreviation from {@code shortest} on. */
    private static List<String> longFlag(String option, String shortest) {
        List<String> out = new ArrayList<>();
        for (int n = shortest.length(); n <= option.length(); n++) out.add(option.substring(0, n));
        return out;
    }

    /** {@code -o v}, {@code -ov} and clusters of safe flags ending in the option ({@code -nro v}, {@code -nrov}). */
    private static List<String> shortValued(char letter, String value, String flags) {
        List<String> out = new ArrayList<>(List.of("-" + letter + " " + value, "-" + letter + value));
        for (int n = 1; n <= flags.length(); n++) {
            out.add("-" + flags.substring(0, n) + letter + " " + value);
            out.add("-" + flags.substring(n - 1) + letter + value);
        }
        return out;
    }

    /** {@code -z} alone and hidden anywhere in a cluster of safe flags. */
    private static List<String> shortFlag(char letter, String flags) {
        List<String> out = new ArrayList<>(List.of("-" + letter));
        for (int n = 0; n <= flags.length(); n++) out.add("-" + flags.substring(0, n) + letter + flags.substring(n));
        return out;
    }

    @Provide
    Arbitrary<String> quoted() {
        return Arbitraries.of("", "'", "\"", "\\", "split");
    }

    /** One word quoted one of the ways the shell removes again. */
    private static String quote(String word, String how) {
        if (word.contains("'") || word.contains("\"") || word.contains("*") || word.contains(";") || word.contains("{")) return word;
        return switch (how) {
            case "'" -> "'" + word + "'";
            case "\"" -> "\"" + word + "\"";
            case "\\" -> "\\" + word;
            case "split" -> word.length() > 2 ? "'" + word.substring(0, 2) + "'" + word.substring(2) : word;
            default -> word;
        };
    }

    private static final List<String> CONTEXTS = List.of("%s", "timeout 5 %s", "nice -n 5 %s", "cat $(%s)", "cat <(%s)", "ls && %s", "(%s)",
            "echo x | %s", "%s | head -n 1", "LANG=C %s", "GIT_PAGER=cat %s", "{ %s; }", "if true; then %s; fi", "bash -c \"%s\"");

    @Provide
    Arbitrary<String[]> dangerousLines() {
        return Arbitraries.of(DANGERS).flatMap(d -> Combinators.combine(Arbitraries.of(d.forms()), Arbitraries.of(d.safe()).list().ofMaxSize(3),
                Arbitraries.of(d.safe()).list().ofMaxSize(2), Arbitraries.of("", "'", "\"", "\\", "split"), Arbitraries.of(true, false),
                Arbitraries.of(CONTEXTS)).as((form, before, after, how, dashes, context) -> {
                    List<String> words = new ArrayList<>(List.of(d.program()));
                    words.addAll(before);
                    for (String w : form.split(" ")) words.add(quote(w, how));
                    words.addAll(after);
                    if (dashes && !d.program().startsWith("find") && !d.operands().isEmpty()) words.add("--");
                    if (!d.operands().isEmpty()) words.add(d.operands());
                    String program = d.program().split(" ")[0];
                    String line = String.join(" ", words);
                    // bash -c "…" only around a line that needs no escaping inside double quotes
                    boolean plain = context.startsWith("bash") && (line.contains("\"") || line.contains("\\") || line.contains("$"));
                    return new String[] {String.format(plain ? "%s" : context, line), program};
                }));
    }

    @Property(tries = TRIES)
    void everyOptionThatRunsOrWritesMakesTheCommandNotReadOnly(@ForAll("dangerousLines") String[] generated) {
        String line = generated[0];
        assertThat(DECIDER.bash(line, PROJECT).action()).as(line).isNotEqualTo(Action.ALLOW);
        Analysis a = BashAnalyzer.analyze(line, PROJECT, PROJECT.resolve("home"));
        List<SimpleCommand> dangerous = a.commands().stream().filter(c -> c.words().getFirst().equals(generated[1])).toList();
        assertThat(dangerous).as("the dangerous command of " + line).isNotEmpty().noneMatch(SimpleCommand::readOnly);
    }

    /** The same programs with only safe options and plain operands: allowed, so the property above can fail. */
    @Provide
    Arbitrary<String> safeLines() {
        return Arbitraries.of(DANGERS).flatMap(d -> Arbitraries.of(d.safe()).list().ofMaxSize(4).map(opts -> {
            List<String> words = new ArrayList<>(List.of(d.program()));
            words.addAll(opts);
            if (!d.operands().isEmpty()) words.add(d.operands());
            return String.join(" ", words);
        })).filter(l -> !l.startsWith("git") || l.startsWith("git diff") || l.startsWith("git log")); // no repository: show/blame ask
    }

    @Property(tries = TRIES)
    void theSameProgramsWithSafeOptionsAreAllowed(@ForAll("safeLines") String line) {
        assertThat(DECIDER.bash(line, PROJECT).action()).as(line + ": " + DECIDER.bash(line, PROJECT).reason()).isEqualTo(Action.ALLOW);
    }

    /** A line that does not parse: an unmatched quote, substitution or group anywhere in a safe line. */
    @Provide
    Arbitrary<String> unparseable() {
        return Combinators.combine(safeLines(), Arbitraries.of("'", "\"", "$(", "`", "(", "<(", "${", ")", "|", ";;", "&&"), Arbitraries.integers().between(0, 200))
                .as((line, breaker, at) -> {
                    int cut = Math.min(at, line.length());
                    String broken = line.substring(0, cut) + breaker + line.substring(cut);
                    return breaker.equals("|") || breaker.equals("&&") ? broken.strip() + " " + breaker : broken;
                });
    }

    @Property(tries = TRIES)
    void aParseFailureIsNeverReadOnly(@ForAll("unparseable") String line) {
        Analysis a = BashAnalyzer.analyze(line, PROJECT, PROJECT.resolve("home"));
        assertThat(a.dynamic()).as("a problem is reported for " + line).isTrue();
        assertThat(DECIDER.bash(line, PROJECT).action()).as(line).isNotEqualTo(Action.ALLOW);
    }

    @Provide
    Arbitrary<String> programsThatRunOrWrite() {
        return Combinators.combine(Arbitraries.of("xargs", "env", "awk", "gawk", "sed", "tar", "zip", "unzip", "rsync", "ssh", "perl", "python3",
                "node", "ruby", "less", "more", "man", "date", "echo", "printf", "jq", "file", "fd", "fdfind", "tee", "cp", "make", "npm", "git push",
                "git config", "git commit", "git -c x=y log", "git branch", "stdbuf -oL", "exec", "command"),
                Arbitraries.of("", "-n", "x", "big.txt", "-e 'print 1'", "-tf big.txt", "'{print}'", "-o out", "--", "cat big.txt").list().ofMaxSize(3))
                .as((program, args) -> (program + " " + String.join(" ", args)).strip());
    }

    @Property(tries = TRIES)
    void programsThatRunProgramsOrWriteAreNeverReadOnly(@ForAll("programsThatRunOrWrite") String line) {
        assertThat(DECIDER.bash(line, PROJECT).action()).as(line).isNotEqualTo(Action.ALLOW);
    }

    private static Path project() {
        try {
            Path p = Files.createTempDirectory("read-only-properties").toRealPath();
            Files.writeString(p.resolve("big.txt"), "b\na\n");
            Files.createDirectories(p.resolve("home"));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterContainer
    static void removeProject() throws IOException {
        try (Stream<Path> walk = Files.walk(PROJECT)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
