package dev.lathe.core.claudeplugin;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a marketplace is fetched from, as {@code lathe plugin marketplace add SOURCE} names it (DESIGN §33): a git
 * repository ({@code https://…}, {@code ssh://…}, {@code git@host:…}, {@code file://…}, or GitHub's {@code owner/repo})
 * at an optional ref ({@code #REF} after it, or {@code --ref}), or a local folder, copied as it is. A folder given a
 * ref is cloned at that ref instead, so a local git marketplace can be pinned as a remote one is.
 */
public sealed interface MarketplaceSource {
    /** The source as the user wrote it (and as {@code lathe plugin marketplace list} shows it). */
    String written();

    Optional<String> ref();

    record Git(String url, Optional<String> ref, Optional<String> githubRepo) implements MarketplaceSource {
        @Override public String written() { return githubRepo.orElse(url) + ref.map(r -> "#" + r).orElse(""); }

        /** The host the repository is on, for {@code hostPattern}; empty for a local {@code file://} one. */
        public Optional<String> host() {
            if (url.matches("[\\w.-]+@[\\w.-]+:.+")) return Optional.of(url.substring(url.indexOf('@') + 1, url.indexOf(':')));
            try {
                return Optional.ofNullable(URI.create(url).getHost());
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    record Directory(Path path) implements MarketplaceSource {
        @Override public String written() { return path.toString(); }

        @Override public Optional<String> ref() { return Optional.empty(); }
    }

    /**
     * Parses what the user typed; {@code ref} from {@code --ref}, when given, wins over a {@code #REF} suffix.
     *
     * @throws PluginInstalls.Failure when it is none of the forms above
     */
    static MarketplaceSource parse(String written, Optional<String> ref) {
        String s = written.strip();
        int hash = s.lastIndexOf('#');
        Optional<String> suffix = hash > 0 ? Optional.of(s.substring(hash + 1)).filter(r -> !r.isBlank()) : Optional.empty();
        String base = hash > 0 ? s.substring(0, hash) : s;
        Optional<String> at = ref.filter(r -> !r.isBlank()).or(() -> suffix);
        if (at.isPresent() && at.get().startsWith("-")) throw new PluginInstalls.Failure("'" + at.get() + "' is not a git ref");
        Path folder = Path.of(base).toAbsolutePath().normalize();
        if (!PluginInstalls.isGitUrl(base) && Files.isDirectory(folder)) {
            return at.isPresent() ? new Git(folder.toUri().toString(), at, Optional.empty()) : new Directory(folder);
        }
        if (PluginInstalls.isGitUrl(base)) return new Git(base, at, Optional.empty());
        if (base.matches("[\\w.-]+/[\\w.-]+") && !base.startsWith(".")) {
            return new Git("https://github.com/" + base + ".git", at, Optional.of(base));
        }
        throw new PluginInstalls.Failure(written + ": not a folder, a git URL or a GitHub owner/repo");
    }
}
