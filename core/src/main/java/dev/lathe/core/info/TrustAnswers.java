package dev.lathe.core.info;

import dev.lathe.core.command.CustomCommands;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.lsp.LspModule;
import dev.lathe.core.plugin.PluginTools;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.Projects;
import dev.lathe.core.trust.TrustedFolders;
import dev.lathe.core.trust.Withheld;
import dev.lathe.protocol.api.RequestShape;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.api.TrustRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code GET /trust} and {@code PUT /trust} in process: a folder's trust and what its untrusted definitions were (its
 * config's withheld parts, its commands' shell commands), and the user's answer recorded in {@link TrustedFolders}.
 */
final class TrustAnswers {
    private final Function<String, Project> projects;
    /** Where a project's commands and the files left out of its prompts are read. */
    private final Projects files;
    private final ConfigLoader loader;

    /**
     * @param projects the project of a folder, a bad folder or config refused as {@code ProjectInfo} refuses them
     * @param files    a project's commands, and the project files left out of prompts because they link outside an
     *                 untrusted folder
     */
    TrustAnswers(Function<String, Project> projects, Projects files, ConfigLoader loader) {
        this.projects = projects;
        this.files = files;
        this.loader = loader;
    }

    TrustInfo of(String directory) {
        Project project = projects.apply(directory);
        // in a trusted folder, what was added or changed since it was trusted
        List<Withheld> skipped = new ArrayList<>(project.config().withheld());
        skipped.addAll(files.pluginsNotAsLocked());
        if (!project.trust().trusted()) {
            skipped.addAll(CustomCommands.withheldShell(files.commands(project), project.repoRoot()));
            skipped.addAll(PluginTools.withheld(project.directory()));
            skipped.addAll(LspModule.withheld(project.directory(), project.config().lsp(), project.host().variables()));
            skipped.addAll(files.linksWithheld(project));
        }
        List<TrustInfo.Item> pending = TrustReview.pending(loader, project.directory()).stream().map(TrustAnswers::wire).toList();
        return new TrustInfo(TrustedFolders.canonical(project.directory()).toString(), project.trust().trusted(),
                loader.trustedFolders().answered(project.directory()), skipped.stream().map(TrustAnswers::wire).toList(), pending);
    }

    TrustInfo answer(String directory, TrustRequest request) {
        RequestShape.check(request);
        Project project = projects.apply(directory);
        if (request.trusted()) {
            // only what the question showed: an item changed between showing and answering stays withheld
            if (request.approve() != null) TrustReview.approveShown(loader, project.directory(), java.util.Set.copyOf(request.approve()));
            else TrustReview.approve(loader, project.directory());
        }
        else loader.trustedFolders().decline(project.directory());
        return of(directory);
    }

    private static TrustInfo.Item wire(TrustReview.Line l) {
        var item = l.item();
        return new TrustInfo.Item(item.kind().id(), item.source(), item.name(), item.text(), l.status().word(), item.line(), item.hash());
    }

    private static TrustInfo.Skipped wire(Withheld w) {
        return new TrustInfo.Skipped(w.kind().id(), w.count(), w.source(), w.items(), w.message());
    }
}
