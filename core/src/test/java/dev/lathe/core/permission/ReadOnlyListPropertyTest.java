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
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Property tests of the read-only command list (DESIGN §26, issue 66) over generated command lines: programs of the
 * list with every option that runs a program or writes a file, in its long, {@code =}, abbreviated and clustered
 * short forms, among random safe options, quoted in every way, with {@code --} after it, environment prefixes, and
 * inside wrappers, lists, pipelines and substitutions. Under the read-only agents' rules such a line is never allowed
 * and the dangerous command itself is never judged read-only; a line that does not parse is never allowed; the
 * programs that run programs or write by nature are never read-only; and the same programs with only safe options are
 * allowed (so the judge is not simply "deny everything").
 *
 * <p>Plain JUnit over a seeded {@link Random} (decision 562): each property
 * checks its edge cases (every option form, context, safe option, breaker place and argument) and then {@value #TRIES}
 * generated lines. A failure names the seed; {@code -Dlathe.seed=N} replays it.
 */
class ReadOnlyListPropertyTest {
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

    private static final List<String> HOWS = List.of("", "'", "\"", "\\", "split");

    /** A line of one danger with its dangerous option, and the program whose command must not be judged read-only. */
    record Dangerous(String line, String program) {}

    private static Dangerous dangerous(Danger d, String form, List<String> before, List<String> after, String how, boolean dashes, String context) {
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
        return new Dangerous(String.format(plain ? "%s" : context, line), program);
    }

    /**
     * Every form of every danger once (quoting, {@code --} and context taking turns), every context around every
     * danger's last form between safe options, then {@value #TRIES} drawn at random.
     */
    private static List<Dangerous> dangerousLines(Random r) {
        List<Dangerous> out = new ArrayList<>();
        for (Danger d : DANGERS) {
            for (int i = 0; i < d.forms().size(); i++) {
                out.add(dangerous(d, d.forms().get(i), List.of(), List.of(), HOWS.get(i % HOWS.size()), i % 2 == 0, CONTEXTS.get(i % CONTEXTS.size())));
            }
            for (int i = 0; i < CONTEXTS.size(); i++) {
                out.add(dangerous(d, d.forms().getLast(), List.of(d.safe().getFirst()), List.of(d.safe().getLast()), HOWS.get(i % HOWS.size()), true,
                        CONTEXTS.get(i)));
            }
        }
        for (int i = 0; i < TRIES; i++) {
            Danger d = any(r, DANGERS);
            out.add(dangerous(d, any(r, d.forms()), some(r, d.safe(), 3), some(r, d.safe(), 2), any(r, HOWS), r.nextBoolean(), any(r, CONTEXTS)));
        }
        return out;
    }

    @Test
    void everyOptionThatRunsOrWritesMakesTheCommandNotReadOnly() {
        forAll(ReadOnlyListPropertyTest::dangerousLines, generated -> {
            String line = generated.line();
            assertThat(DECIDER.bash(line, PROJECT).action()).as(line).isNotEqualTo(Action.ALLOW);
            Analysis a = BashAnalyzer.analyze(line, PROJECT, PROJECT.resolve("home"));
            List<SimpleCommand> dangerous = a.commands().stream().filter(c -> c.words().getFirst().equals(generated.program())).toList();
            assertThat(dangerous).as("the dangerous command of " + line).isNotEmpty().noneMatch(SimpleCommand::readOnly);
        });
    }

    private static String safeLine(Danger d, List<String> opts) {
        List<String> words = new ArrayList<>(List.of(d.program()));
        words.addAll(opts);
        if (!d.operands().isEmpty()) words.add(d.operands());
        return String.join(" ", words);
    }

    /** No repository in the project: {@code git show} and {@code git blame} ask, so their safe lines are left out. */
    private static boolean judgedWithoutRepository(Danger d) {
        return !d.program().startsWith("git") || d.program().startsWith("git diff") || d.program().startsWith("git log");
    }

    private static final List<Danger> SAFE_DANGERS = DANGERS.stream().filter(ReadOnlyListPropertyTest::judgedWithoutRepository).toList();

    /** A danger's program with up to four of its safe options and its operands. */
    private static String safeLine(Random r) {
        Danger d = any(r, SAFE_DANGERS);
        return safeLine(d, some(r, d.safe(), 4));
    }

    /** Every program bare, with each safe option alone and with all four first ones, then {@value #TRIES} at random. */
    private static List<String> safeLines(Random r) {
        List<String> out = new ArrayList<>();
        for (Danger d : SAFE_DANGERS) {
            out.add(safeLine(d, List.of()));
            for (String opt : d.safe()) out.add(safeLine(d, List.of(opt)));
            out.add(safeLine(d, d.safe().subList(0, Math.min(4, d.safe().size()))));
        }
        for (int i = 0; i < TRIES; i++) out.add(safeLine(r));
        return out;
    }

    /** The same programs with only safe options and plain operands: allowed, so the property above can fail. */
    @Test
    void theSameProgramsWithSafeOptionsAreAllowed() {
        forAll(ReadOnlyListPropertyTest::safeLines,
                line -> assertThat(DECIDER.bash(line, PROJECT).action()).as(line + ": " + DECIDER.bash(line, PROJECT).reason()).isEqualTo(Action.ALLOW));
    }

    private static final List<String> BREAKERS = List.of("'", "\"", "$(", "`", "(", "<(", "${", ")", "|", ";;", "&&");

    /**
     * {@code breaker} put into {@code line} at {@code at} (at most its end); a terminator also ends the line. Inside a
     * single-quoted word only a {@code '} breaks the line, so another breaker goes just after the word's closing quote.
     */
    private static String broken(String line, String breaker, int at) {
        int cut = Math.min(at, line.length());
        if (!breaker.equals("'")) {
            int open = -1;
            for (int i = 0; i < line.length(); i++) {
                if (line.charAt(i) != '\'') continue;
                if (open < 0) open = i;
                else {
                    if (cut > open && cut <= i) cut = i + 1;
                    open = -1;
                }
            }
        }
        String broken = line.substring(0, cut) + breaker + line.substring(cut);
        return breaker.equals("|") || breaker.equals("&&") ? broken.strip() + " " + breaker : broken;
    }

    /**
     * A line that does not parse: each breaker at the start, second place, middle, last place and end of every bare
     * program's line, then {@value #TRIES} safe lines broken at a place from 0 to 200 (as before) or, half the
     * time, within the line.
     */
    private static List<String> unparseable(Random r) {
        List<String> out = new ArrayList<>();
        for (Danger d : SAFE_DANGERS) {
            String line = safeLine(d, List.of());
            for (String breaker : BREAKERS) {
                for (int at : List.of(0, 1, line.length() / 2, line.length() - 1, 200)) out.add(broken(line, breaker, at));
            }
        }
        for (int i = 0; i < TRIES; i++) {
            String line = safeLine(r);
            out.add(broken(line, any(r, BREAKERS), r.nextBoolean() ? r.nextInt(201) : r.nextInt(line.length() + 1)));
        }
        return out;
    }

    @Test
    void aParseFailureIsNeverReadOnly() {
        forAll(ReadOnlyListPropertyTest::unparseable, line -> {
            Analysis a = BashAnalyzer.analyze(line, PROJECT, PROJECT.resolve("home"));
            assertThat(a.dynamic()).as("a problem is reported for " + line).isTrue();
            assertThat(DECIDER.bash(line, PROJECT).action()).as(line).isNotEqualTo(Action.ALLOW);
        });
    }

    private static final List<String> RUN_OR_WRITE = List.of("xargs", "env", "awk", "gawk", "sed", "tar", "zip", "unzip", "rsync", "ssh", "perl",
            "python3", "node", "ruby", "less", "more", "man", "date", "echo", "printf", "jq", "file", "fd", "fdfind", "tee", "cp", "make", "npm",
            "git push", "git config", "git commit", "git -c x=y log", "git branch", "stdbuf -oL", "exec", "command");
    private static final List<String> RUN_OR_WRITE_ARGS = List.of("", "-n", "x", "big.txt", "-e 'print 1'", "-tf big.txt", "'{print}'", "-o out", "--",
            "cat big.txt");

    private static String runOrWrite(String program, List<String> args) {
        return (program + " " + String.join(" ", args)).strip();
    }

    /** Every program alone and with each argument, then {@value #TRIES} with up to three arguments at random. */
    private static List<String> programsThatRunOrWrite(Random r) {
        List<String> out = new ArrayList<>();
        for (String program : RUN_OR_WRITE) {
            for (String arg : RUN_OR_WRITE_ARGS) out.add(runOrWrite(program, List.of(arg)));
        }
        for (int i = 0; i < TRIES; i++) out.add(runOrWrite(any(r, RUN_OR_WRITE), some(r, RUN_OR_WRITE_ARGS, 3)));
        return out;
    }

    @Test
    void programsThatRunProgramsOrWriteAreNeverReadOnly() {
        forAll(ReadOnlyListPropertyTest::programsThatRunOrWrite, line -> assertThat(DECIDER.bash(line, PROJECT).action()).as(line).isNotEqualTo(Action.ALLOW));
    }

    private static <T> T any(Random r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    /** From none up to {@code max} of {@code values}, each drawn anew (so repeats happen). */
    private static <T> List<T> some(Random r, List<T> values, int max) {
        List<T> out = new ArrayList<>();
        for (int n = r.nextInt(max + 1); n > 0; n--) out.add(any(r, values));
        return out;
    }

    /** Checks every case the generator makes; a failure names its seed and case, and {@code -Dlathe.seed=N} replays it. */
    private static <T> void forAll(Function<Random, List<T>> generator, Consumer<T> property) {
        long seed = Long.getLong("lathe.seed", ThreadLocalRandom.current().nextLong());
        List<T> cases = generator.apply(new Random(seed));
        for (int i = 0; i < cases.size(); i++) {
            try {
                property.accept(cases.get(i));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("case " + i + " of seed " + seed + " (replay with -Dlathe.seed=" + seed + "): " + cases.get(i), e);
            }
        }
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

    @AfterAll
    static void removeProject() throws IOException {
        try (Stream<Path> walk = Files.walk(PROJECT)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
