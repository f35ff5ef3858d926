package dev.lathe.core.permission;

import dev.lathe.core.permission.bash.Access;
import dev.lathe.core.permission.bash.Analysis;
import dev.lathe.core.permission.bash.BashAnalyzer;
import dev.lathe.core.permission.bash.FileAccess;
import dev.lathe.core.permission.bash.RealPaths;
import dev.lathe.core.permission.bash.SimpleCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in {@code hardDeny} list of auto-approval (DESIGN §31): what no classifier may approve and no allow rule
 * lets through while auto-approval answers the asks, because a wrong allow there cannot be undone — destructive git on
 * a shared branch (a forced or deleting push, a push to {@code main}, history rewriting), {@code rm -r} of anything
 * outside the project (or of the project itself, or of a path only known when it runs), a credential file touched, a
 * file sent to the network, Lathe's own config or git's hooks and config written (which is how the sandbox or the rules
 * would be turned off). Decided on the same analysis as the rules ({@link BashAnalyzer}), so a wrapper, a chain or a
 * substitution does not hide a command from it.
 */
public final class HardDeny {
    /** The {@link Decision#rule} of a refusal of this list. */
    public static final String RULE = "hardDeny";
    /** Its origin: Lathe's own list, not a file the user can edit. */
    public static final RuleOrigin ORIGIN = RuleOrigin.analysis("auto-approval's built-in hardDeny list");

    private static final Set<String> SHARED_BRANCHES = Set.of("main", "master", "trunk", "develop", "production", "prod", "release");
    private static final Set<String> SENDERS = Set.of("scp", "sftp", "ftp", "nc", "ncat", "netcat", "socat", "telnet");
    private static final Set<String> CURL_UPLOADS = Set.of("-T", "--upload-file", "-F", "--form", "--form-string");
    private static final Set<String> CURL_DATA = Set.of("-d", "--data", "--data-binary", "--data-raw", "--data-urlencode", "--data-ascii", "--json");
    private static final List<String> HOME_CREDENTIALS = List.of(".ssh", ".aws", ".gnupg", ".azure", ".config/gcloud", ".kube", ".docker/config.json",
            ".netrc", ".git-credentials", ".npmrc", ".pypirc", ".config/gh", ".local/share/lathe/auth.json", ".terraform.d/credentials.tfrc.json");
    private static final Set<String> GIT_CONFIG_RUNS = Set.of("core.hookspath", "core.fsmonitor", "core.sshcommand", "core.pager", "core.editor",
            "diff.external", "credential.helper");

    private final Path project;
    private final Path home;
    private final ProtectedPaths protectedPaths;

    public HardDeny(Path projectRoot, Path home, ProtectedPaths protectedPaths) {
        this.project = RealPaths.resolve(projectRoot);
        this.home = RealPaths.resolve(home);
        this.protectedPaths = protectedPaths;
    }

    /** The list's refusal of a request of rule key {@code permission} for {@code patterns}, or empty when it names none. */
    public Optional<Decision> decide(String permission, GateDecision.Subject subject, List<String> patterns, Path workdir) {
        for (String pattern : patterns) {
            Optional<String> why = subject == GateDecision.Subject.COMMAND_LINES ? commandLine(pattern, workdir) : value(permission, pattern);
            if (why.isPresent()) return Optional.of(new Decision(Action.DENY, List.of(), RULE, why.get(), ORIGIN));
        }
        return Optional.empty();
    }

    private static final Set<String> NETWORK = Set.of("curl", "wget", "ssh", "scp", "sftp", "rsync", "nc", "ncat", "netcat", "socat", "ftp", "telnet",
            "npm", "pnpm", "yarn", "pip", "pip3", "uv", "cargo", "go", "gem", "mvn", "gradle", "docker", "podman", "kubectl", "gh", "aws", "gcloud");
    private static final Set<String> GIT_REMOTE = Set.of("push", "fetch", "pull", "clone", "ls-remote", "remote", "submodule");

    /**
     * What a request would reach beyond the project, for the classifier (DESIGN §31): paths outside it, programs that use
     * the network, git commands that talk to a remote; empty when nothing was found.
     */
    public List<String> reaches(String permission, GateDecision.Subject subject, List<String> patterns, Path workdir) {
        var out = new java.util.LinkedHashSet<String>();
        for (String pattern : patterns) {
            if (subject == GateDecision.Subject.VALUES) {
                if (permission.equals("webfetch") || permission.equals("websearch")) out.add("network: " + pattern);
                else if (!project.resolve(pattern).normalize().startsWith(project)) out.add("path outside the project: " + pattern);
                continue;
            }
            Analysis a = BashAnalyzer.analyze(pattern, workdir, home);
            for (SimpleCommand c : a.commands()) {
                if (c.words().isEmpty()) continue;
                String name = c.words().getFirst();
                if (NETWORK.contains(name)) out.add("network: " + name);
                List<String> plain = c.forms().size() > 1 ? List.of(c.forms().getLast().split(" ")) : c.words();
                if (name.equals("git") && plain.size() > 1 && GIT_REMOTE.contains(plain.get(1))) out.add("git remote: " + String.join(" ", plain));
            }
            for (FileAccess f : a.accesses()) {
                if (!f.path().startsWith(project)) out.add("path outside the project: " + f.path() + " (" + f.access().name().toLowerCase(Locale.ROOT) + ")");
            }
            if (a.dynamic()) out.add("not statically known: " + String.join("; ", a.problems()));
        }
        return List.copyOf(out);
    }

    private Optional<String> value(String permission, String pattern) {
        if (!Set.of("read", "edit", "external_directory", "list", "grep", "glob").contains(permission)) return Optional.empty();
        Path path = project.resolve(pattern).normalize();
        Optional<String> credential = credential(path);
        if (credential.isPresent()) return credential;
        if (permission.equals(ProtectedPaths.WRITE_KEY)) return protectedPaths.reason(pattern).map(r -> "writes " + r);
        return Optional.empty();
    }

    private Optional<String> commandLine(String line, Path workdir) {
        Analysis a = BashAnalyzer.analyze(line, workdir, home);
        for (SimpleCommand c : a.commands()) {
            Optional<String> why = command(c, c.cwd() == null ? workdir : c.cwd());
            if (why.isPresent()) return why;
        }
        // what the rules ask for because the analysis could not read it statically or found a risky form in it (a command
        // name from a variable, eval of one, LD_PRELOAD, an option that runs a program): a person may read the line and
        // decide; a classifier shown its words may not
        List<String> unread = new java.util.ArrayList<>(a.problems());
        unread.addAll(a.concerns());
        if (!unread.isEmpty()) {
            return Optional.of("a command auto-approval cannot read statically or that uses a risky form (" + String.join("; ", unread)
                    + "); write it plainly, or ask the user to run it");
        }
        for (FileAccess f : a.accesses()) {
            Optional<String> credential = credential(f.path());
            if (credential.isPresent()) return credential;
            if (f.access() == Access.WRITE) {
                String shown = f.path().startsWith(project) ? project.relativize(f.path()).toString().replace('\\', '/') : f.path().toString();
                Optional<String> written = protectedPaths.reason(shown);
                if (written.isPresent()) return Optional.of("writes " + written.get());
            }
        }
        return Optional.empty();
    }

    private Optional<String> command(SimpleCommand c, Path cwd) {
        List<String> words = c.forms().size() > 1 ? List.of(c.forms().getLast().split(" ")) : c.words();
        if (words.isEmpty()) return Optional.empty();
        String name = words.getFirst();
        List<String> args = words.subList(1, words.size());
        return switch (name) {
            case "git" -> git(args);
            case "rm" -> removal(args, cwd);
            case "curl" -> curl(args);
            case "wget" -> args.stream().anyMatch(w -> w.startsWith("--post-file") || w.startsWith("--body-file"))
                    ? Optional.of("sends a file to the network (wget --post-file)") : Optional.empty();
            case "rsync" -> args.stream().anyMatch(w -> !w.startsWith("-") && remote(w)) ? Optional.of("sends files to the network (rsync to a remote)")
                    : Optional.empty();
            default -> SENDERS.contains(name) ? Optional.of("sends data to the network (" + name + ")") : Optional.empty();
        };
    }

    private static boolean remote(String operand) {
        int colon = operand.indexOf(':');
        return colon > 0 && !operand.startsWith("/") && !operand.startsWith(".") || operand.startsWith("rsync://");
    }

    private Optional<String> git(List<String> args) {
        if (args.isEmpty()) return Optional.empty();
        String sub = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        return switch (sub) {
            case "push" -> {
                for (String w : rest) {
                    if (w.equals("-f") || w.startsWith("--force") || w.equals("--mirror") || w.equals("--delete") || w.equals("-d") || w.equals("--prune")
                            || (w.startsWith("-") && !w.startsWith("--") && w.contains("f"))) {
                        yield Optional.of("destructive git: a forced or deleting push (" + w + ")");
                    }
                    if (!w.startsWith("-") && (w.startsWith("+") || w.startsWith(":"))) yield Optional.of("destructive git: a forced or deleting refspec (" + w + ")");
                    String target = w.contains(":") ? w.substring(w.lastIndexOf(':') + 1) : w;
                    target = target.replaceFirst("^refs/heads/", "");
                    if (!w.startsWith("-") && rest.indexOf(w) > 0 && SHARED_BRANCHES.contains(target)) {
                        yield Optional.of("destructive git: a push to the shared branch " + target);
                    }
                }
                yield Optional.empty();
            }
            case "filter-branch", "filter-repo" -> Optional.of("destructive git: rewrites history (git " + sub + ")");
            case "branch" -> rest.stream().anyMatch(w -> w.equals("-D") || w.equals("-d") || w.equals("--delete"))
                    && rest.stream().anyMatch(SHARED_BRANCHES::contains) ? Optional.of("destructive git: deletes a shared branch") : Optional.empty();
            case "config" -> rest.stream().map(w -> w.toLowerCase(Locale.ROOT)).anyMatch(w -> GIT_CONFIG_RUNS.contains(w) || w.startsWith("alias."))
                    ? Optional.of("writes git configuration that runs programs (hooks, helpers, aliases)") : Optional.empty();
            default -> Optional.empty();
        };
    }

    private Optional<String> removal(List<String> args, Path cwd) {
        boolean recursive = false;
        boolean options = true;
        List<String> operands = new java.util.ArrayList<>();
        for (String w : args) {
            if (options && w.equals("--")) options = false;
            else if (options && w.startsWith("--")) recursive |= w.equals("--recursive");
            else if (options && w.startsWith("-") && w.length() > 1) recursive |= w.indexOf('r') > 0 || w.indexOf('R') > 0;
            else operands.add(w);
        }
        if (!recursive) return Optional.empty();
        for (String operand : operands) {
            if (operand.contains("$") || operand.contains("`")) return Optional.of("rm -r of a path known only when it runs (" + operand + ")");
            String expanded = operand.equals("~") ? home.toString() : operand.startsWith("~/") ? home.resolve(operand.substring(2)).toString() : operand;
            Path target = RealPaths.resolve(cwd.resolve(expanded).normalize());
            if (!target.startsWith(project) || target.equals(project)) return Optional.of("rm -r outside the project, or of the project itself (" + operand + ")");
        }
        return Optional.empty();
    }

    private static Optional<String> curl(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String w = args.get(i);
            String next = i + 1 < args.size() ? args.get(i + 1) : "";
            if (CURL_UPLOADS.contains(w) || CURL_UPLOADS.stream().anyMatch(o -> o.startsWith("--") && w.startsWith(o + "="))
                    || w.startsWith("-T") && w.length() > 2) {
                return Optional.of("sends a file to the network (curl " + w + ")");
            }
            boolean data = CURL_DATA.contains(w) && next.startsWith("@") || CURL_DATA.stream().anyMatch(o -> w.startsWith(o + "=@") || w.startsWith(o + "@"));
            if (data) return Optional.of("sends a file to the network (curl " + w + ")");
        }
        return Optional.empty();
    }

    /** Why {@code path} is a credential file, or empty. */
    private Optional<String> credential(Path path) {
        Path normal = path.normalize();
        for (String c : HOME_CREDENTIALS) {
            if (normal.startsWith(home.resolve(c))) return Optional.of("touches a credential file (~/" + c + ")");
        }
        Path file = normal.getFileName();
        if (file == null) return Optional.empty();
        String name = file.toString().toLowerCase(Locale.ROOT);
        boolean env = name.equals(".env") || name.startsWith(".env.") && !name.endsWith(".example") && !name.endsWith(".sample") && !name.endsWith(".template");
        boolean keys = name.endsWith(".pem") || name.endsWith(".key") || name.endsWith(".p12") || name.endsWith(".pfx") || name.startsWith("id_rsa")
                || name.startsWith("id_ed25519") || name.startsWith("id_ecdsa") || name.equals("credentials.json") || name.equals(".git-credentials");
        return env || keys ? Optional.of("touches a credential file (" + file + ")") : Optional.empty();
    }
}
