package dev.lathe.server.local;

import dev.lathe.core.claudeplugin.Marketplaces;
import dev.lathe.core.claudeplugin.PluginInstalls;
import dev.lathe.core.claudeplugin.PluginLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a plugin or marketplace update changed, in lines for the user (DESIGN §33: a lock moves only with {@code lathe
 * plugin update}, and it shows what changed): the commit before and after, the files that differ, and each launched
 * package's version before and after.
 */
final class PluginUpdateLines {
    private PluginUpdateLines() {}

    static List<String> of(PluginInstalls.Update u) {
        List<String> out = new ArrayList<>();
        if (u.before().isEmpty()) {
            out.add(u.name() + ": locked as it is (" + u.after().tree() + ")");
        } else {
            PluginLock.Entry b = u.before().get();
            String commit = b.commit().equals(u.after().commit()) ? "" : " " + b.commit().orElse("-") + " -> " + u.after().commit().orElse("-");
            out.add(u.name() + ":" + (b.tree().equals(u.after().tree()) ? " unchanged" : commit.isEmpty() ? " files changed" : commit));
        }
        int shown = 0;
        for (String f : u.changedFiles()) {
            if (shown++ == 20) {
                out.add("  … and " + (u.changedFiles().size() - 20) + " more files");
                break;
            }
            out.add("  changed: " + f);
        }
        List<PluginLock.Pinned> was = u.before().map(PluginLock.Entry::launches).orElse(List.of());
        for (PluginLock.Pinned now : u.after().launches()) {
            Optional<PluginLock.Pinned> old = was.stream().filter(p -> p.by().equals(now.by()) && p.pkg().equals(now.pkg())).findFirst();
            if (old.isEmpty()) out.add("  launches: " + now.by() + " runs " + now.written() + " (" + now.integrity() + ")");
            else if (!old.get().version().equals(now.version()) || !old.get().integrity().equals(now.integrity())) {
                out.add("  launches: " + now.by() + " " + old.get().written() + " -> " + now.written());
            }
        }
        return out;
    }

    static List<String> of(Marketplaces.Updated u) {
        if (u.before().equals(u.after())) return List.of(u.name() + ": unchanged at " + u.before());
        List<String> out = new ArrayList<>(List.of(u.name() + ": " + u.before() + " -> " + u.after()
                + "; installed plugins move with lathe plugin update NAME"));
        if (u.tagMoved()) out.add("warning: the tag it follows was moved to another commit; a tag that moves can carry anything: read the change first");
        return out;
    }

    static LocalCommands.MarketplaceRow row(Marketplaces.Known k) {
        return new LocalCommands.MarketplaceRow(k.name(), k.source(), k.commit(),
                k.manifest().map(m -> m.plugins().stream().map(e -> e.name()).toList()).orElse(List.of()), k.problem());
    }
}
