package dev.lathe.core.trust;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What trust approved of one definition that runs code, checked at the moment it runs (DESIGN §24 "Pins checked at
 * the moment of execution"): the files its command line runs (its program and scripts, found as the shell will find
 * them, {@link ReferencedFiles}) or the plugin folder it comes from, each with the digest it had when the definition
 * was admitted (the configuration is read only when trust's pins admit it, so these are what the user approved).
 * {@link #refusal} hashes them again, now, never from a cache: a script the model, a pull or an editor changed since
 * does not run until the user approves it ({@code lathe trust}, or the question the clients ask), which reads the
 * configuration again and pins the new content. Every start of a project's hook, script tool, plugin hook or language
 * server passes here; {@code RunPinRuleTest} fails when one starts a process another way.
 *
 * @param root     the project root the files are named from
 * @param item     the definition as trust lists it (its text names what it runs)
 * @param approved each file's name and digest when the definition was admitted
 */
public record RunPin(Path root, TrustItem item, Map<String, String> approved) {
    /** A definition trust does not pin: the user's own configuration, a built-in. */
    public static final RunPin NONE = new RunPin(Path.of("/"), new TrustItem(Withheld.Kind.HOOKS, "", "", ""), Map.of());

    public RunPin {
        approved = Map.copyOf(approved);
    }

    /** The pin of {@code item} of the project at {@code root} as its files are now (taken when the item is admitted). */
    public static RunPin of(Path root, TrustItem item) {
        return new RunPin(root, item, ReferencedFiles.digests(root, item));
    }

    /**
     * The pin of a Claude Code plugin's {@code folder} (absolute), whose hooks, MCP servers and scripts run from it.
     */
    public static RunPin ofPluginFolder(Path folder) {
        Path parent = folder.getParent() == null ? folder : folder.getParent();
        return of(parent, new TrustItem(Withheld.Kind.PLUGINS, "", folder.getFileName() == null ? "" : folder.getFileName().toString(),
                folder.toAbsolutePath().normalize().toString()));
    }

    /**
     * Whether {@code item} of the project at {@code root}, with the files it runs hashed now, is one of the
     * {@code approved} item hashes (those the trust gate admitted when the configuration was read): the same check as
     * {@link #refusal}, for a definition a caller knows by its item (a language server executable, found anew at each
     * start).
     */
    public static boolean approvedNow(Path root, TrustItem item, java.util.Set<String> approved) {
        return approved.contains(TrustGate.hashOf(root, item));
    }

    /**
     * Why the definition must not run now, in one line, or empty when every file it runs is as approved: {@code
     * not run: scripts/h.sh changed since trust (run lathe trust --show to review, lathe trust to approve it)}.
     */
    public Optional<String> refusal() {
        if (this == NONE) return Optional.empty();
        Map<String, String> now = ReferencedFiles.digests(root, item);
        if (now.equals(approved)) return Optional.empty();
        TreeSet<String> names = new TreeSet<>(approved.keySet());
        names.addAll(now.keySet());
        for (String name : names) {
            String was = approved.get(name);
            String is = now.get(name);
            if (java.util.Objects.equals(was, is)) continue;
            String what = was == null ? name + " appeared" : is == null ? name + " is gone" : name + " changed";
            return Optional.of("not run: " + what + " since trust (" + item.source() + " " + item.kind().one() + " " + item.name()
                    + "; run lathe trust --show to review, lathe trust to approve it)");
        }
        return Optional.empty();
    }
}
