package dev.lathe.core.info;

import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.trust.TrustItem;
import dev.lathe.core.trust.TrustedFolders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What trust allows in a folder, item by item (DESIGN §18 "Trust pins what it approved"): every hook, MCP server,
 * provider URL, ... the project defines, each marked approved (pinned when the folder was trusted), changed since or
 * new; and the approval itself, which pins what is there now. {@code lathe trust}, {@code lathe trust --show} and the
 * clients' trust question all go through here, so they list and pin the same items.
 */
public final class TrustReview {
    private TrustReview() {}

    /** Where an item stands against what trust pinned. */
    public enum Status {
        APPROVED("approved"),
        CHANGED("changed"),
        NEW("new");

        private final String word;

        Status(String word) { this.word = word; }

        /** {@code approved}, {@code changed} or {@code new}, as listings and the wire say it. */
        public String word() { return word; }
    }

    /** One item and where it stands. */
    public record Line(TrustItem item, Status status) {}

    /**
     * Every item the project of {@code directory} defines, in the order the configuration reads them.
     *
     * @throws dev.lathe.core.config.ConfigException when a config file is invalid
     */
    public static List<Line> of(ConfigLoader loader, Path directory) {
        Path root = ProjectRoot.repoRoot(ProjectRoot.normalise(directory.toString()));
        Set<String> pins = loader.trustOf(directory).trusted() ? loader.trustedFolders().pinsOf(root) : Set.of();
        List<Line> out = new ArrayList<>();
        for (TrustItem item : loader.trustItems(root)) {
            Status status = pins.contains(item.hash()) ? Status.APPROVED : pins.contains(item.identity()) ? Status.CHANGED : Status.NEW;
            out.add(new Line(item, status));
        }
        return out;
    }

    /** The items of {@code directory} not approved yet (all of them in an untrusted folder). */
    public static List<Line> pending(ConfigLoader loader, Path directory) {
        return of(loader, directory).stream().filter(l -> l.status() != Status.APPROVED).toList();
    }

    /**
     * Trusts {@code directory} and pins everything its project defines now: what changes after needs approval again.
     *
     * @return the folder as recorded
     * @throws dev.lathe.core.config.ConfigException when a config file is invalid (nothing is trusted then)
     */
    public static Path approve(ConfigLoader loader, Path directory) {
        Path root = ProjectRoot.repoRoot(ProjectRoot.normalise(directory.toString()));
        List<String> pins = new ArrayList<>();
        for (TrustItem item : loader.trustItems(root)) {
            pins.add(item.hash());
            pins.add(item.identity());
        }
        return loader.trustedFolders().trust(directory, root, pins);
    }

    /**
     * Trusts {@code directory} and pins what the user was shown: the hashes in {@code shown}, and what was pinned already
     * and is still there. An item on disk that is neither (changed or added after the question was shown) is not approved: it stays withheld,
     * as changed when it was approved before, and the next question lists it.
     *
     * @return the folder as recorded
     * @throws dev.lathe.core.config.ConfigException when a config file is invalid (nothing is trusted then)
     */
    public static Path approveShown(ConfigLoader loader, Path directory, Set<String> shown) {
        Path root = ProjectRoot.repoRoot(ProjectRoot.normalise(directory.toString()));
        Set<String> before = loader.trustOf(directory).trusted() ? loader.trustedFolders().pinsOf(root) : Set.of();
        // what was shown is approved as it was shown, also when it is not on disk at this moment (it may come back)
        List<String> pins = new ArrayList<>(shown);
        for (TrustItem item : loader.trustItems(root)) {
            if (shown.contains(item.hash()) || before.contains(item.hash())) {
                pins.add(item.hash());
                pins.add(item.identity());
            } else if (before.contains(item.identity())) {
                pins.add(item.identity());
            }
        }
        return loader.trustedFolders().trust(directory, root, pins);
    }

    /** Takes back the trust of {@code directory} and what was approved of its project. */
    public static TrustedFolders.Revoked revoke(ConfigLoader loader, Path directory) {
        TrustedFolders.Revoked r = loader.trustedFolders().revoke(directory);
        if (r.stillTrustedBy().isEmpty()) loader.trustedFolders().unpin(ProjectRoot.repoRoot(ProjectRoot.normalise(directory.toString())));
        return r;
    }
}
