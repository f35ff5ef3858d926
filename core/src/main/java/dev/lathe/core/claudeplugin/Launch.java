package dev.lathe.core.claudeplugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A package one of a plugin's commands launches through a package runner (DESIGN §33): {@code npx}, {@code bunx},
 * {@code pnpm dlx} or {@code uvx}, as written in the plugin's files. {@code written} is the argument as it stands
 * ({@code server@latest}), {@code pkg} the package's name and {@code version} what follows it, if anything. Only an
 * exact version runs the same bytes each time; a tag, a range or nothing runs what the registry serves that day.
 *
 * @param by       the command, in words: {@code MCP server fs}, {@code hook PreToolUse}
 * @param launcher the runner as written ({@code npx})
 */
public record Launch(String by, String launcher, String written, String pkg, Optional<String> version) {
    /** An npm version that names one release (semver, with an optional pre-release and build). */
    private static final Pattern EXACT = Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    private static final Pattern NPM_NAME = Pattern.compile("(@[a-z0-9][\\w.-]*/)?[a-z0-9][\\w.-]*", Pattern.CASE_INSENSITIVE);
    private static final Pattern GIT_COMMIT = Pattern.compile(".*@[0-9a-f]{40}");

    /** Whether the launch names one release: {@code pkg@1.2.3}, {@code pkg==1.2.3}, a git source at a full commit. */
    public boolean exact() {
        if (launcher.equals("uvx")) return version.isPresent();
        return version.filter(v -> EXACT.matcher(v).matches()).isPresent();
    }

    /** Whether it is an npm package Lathe can resolve and pin through the registry. */
    public boolean npm() { return !launcher.equals("uvx") && NPM_NAME.matcher(pkg).matches(); }

    /**
     * The launches in one command line ({@code words}: the program and its arguments, or a shell command split on
     * white space): every package runner in it, wherever it stands ({@code sh -c "cd x && npx pkg"}, {@code env A=1
     * npx pkg}), so a runner behind a shell or another program is pinned (or refused) too.
     */
    public static List<Launch> in(String by, List<String> words) {
        List<String> plain = words.stream().flatMap(w -> java.util.Arrays.stream(w.strip().split("\\s+")))
                .map(w -> w.replaceAll("^[\"'(;&|`]+|[\"');&|`]+$", "")).filter(w -> !w.isEmpty()).toList();
        List<Launch> out = new ArrayList<>();
        for (int i = 0; i < plain.size(); i++) {
            String program = plain.get(i).substring(plain.get(i).lastIndexOf('/') + 1);
            List<String> rest = plain.subList(i + 1, plain.size());
            switch (program) {
                case "npx", "bunx" -> out.addAll(npx(by, program, rest));
                case "pnpm", "yarn" -> {
                    if (!rest.isEmpty() && rest.getFirst().equals("dlx")) out.addAll(npx(by, program + " dlx", rest.subList(1, rest.size())));
                }
                case "uvx" -> out.addAll(uvx(by, rest));
                default -> { }
            }
        }
        return out;
    }

    /** {@code npx [-y] [-p PKG]... PKG[@VERSION] ARGS}: the {@code -p} packages, else the first word that is not an option. */
    private static List<Launch> npx(String by, String launcher, List<String> args) {
        List<String> packages = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("-p") || a.equals("--package")) && i + 1 < args.size()) packages.add(args.get(++i));
            else if (a.startsWith("--package=")) packages.add(a.substring("--package=".length()));
            else if (a.startsWith("-")) continue;
            else {
                if (packages.isEmpty()) packages.add(a);
                break;
            }
        }
        return packages.stream().map(p -> npmSpec(by, launcher, p)).toList();
    }

    private static Launch npmSpec(String by, String launcher, String written) {
        int at = written.indexOf('@', written.startsWith("@") ? 1 : 0);
        if (at < 0) return new Launch(by, launcher, written, written, Optional.empty());
        return new Launch(by, launcher, written, written.substring(0, at), Optional.of(written.substring(at + 1)));
    }

    /** {@code uvx [--from SOURCE] PKG[==VERSION] ARGS}: the source when given (a git one pinned only at a full commit). */
    private static List<Launch> uvx(String by, List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--from") && i + 1 < args.size()) {
                String from = args.get(i + 1);
                if (from.startsWith("git+")) {
                    Optional<String> commit = GIT_COMMIT.matcher(from).matches() ? Optional.of(from.substring(from.lastIndexOf('@') + 1)) : Optional.empty();
                    return List.of(new Launch(by, "uvx", from, from, commit));
                }
                return List.of(pep440(by, from));
            }
            if (!a.startsWith("-")) return List.of(pep440(by, a));
        }
        return List.of();
    }

    private static Launch pep440(String by, String written) {
        int eq = written.indexOf("==");
        return eq < 0 ? new Launch(by, "uvx", written, written, Optional.empty())
                : new Launch(by, "uvx", written, written.substring(0, eq), Optional.of(written.substring(eq + 2)));
    }
}
