package dev.lathe.core.project;

import dev.lathe.core.permission.PromptFiles;
import dev.lathe.core.trust.Withheld;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The project files {@link PromptFiles} left out of prompts, said once each (issue 40): a warning line in the server's
 * log the first time a file is left out for a reason, and, for links out of an untrusted folder, a {@link Withheld}
 * entry in the folder's trust answer, so {@code lathe run} prints {@code lathe: untrusted folder: skipped 1 file linking
 * outside the project from AGENTS.md (run lathe trust to allow it)} and the clients' trust question lists it.
 */
final class SkippedPromptFiles {
    private static final System.Logger LOG = System.getLogger(SkippedPromptFiles.class.getName());

    private final Set<String> told = ConcurrentHashMap.newKeySet();
    /** Per project root: the files found there that link out of it, by their path relative to the root. */
    private final Map<Path, Set<String>> untilTrusted = new ConcurrentHashMap<>();
    /** Per project root: memory files' imports from outside it, as importing file and the import's path ({@code ~/} for the home folder). */
    private final Map<Path, Map<String, Set<String>>> importsUntilTrusted = new ConcurrentHashMap<>();


    /** The listener of one project's check ({@code root}: its root, for naming files). */
    java.util.function.Consumer<PromptFiles.Skipped> listenerFor(Path root, Path home) {
        return s -> {
            String name = s.file().startsWith(root) ? root.relativize(s.file()).toString().replace('\\', '/') : s.file().toString();
            if (s.untilTrusted() && s.importedBy().isPresent()) {
                importsUntilTrusted.computeIfAbsent(root, r -> new ConcurrentHashMap<>())
                        .computeIfAbsent(s.importedBy().get(), r -> ConcurrentHashMap.newKeySet()).add(Instructions.name(s.file(), root, root, home));
            } else if (s.untilTrusted()) {
                untilTrusted.computeIfAbsent(root, r -> ConcurrentHashMap.newKeySet()).add(name);
            }
            if (told.add(name + "\n" + s.reason())) LOG.log(System.Logger.Level.WARNING, "lathe: " + name + " was not put in the prompt: " + s.reason());
        };
    }

    /** The files of the project at {@code root} left out because they link outside it and it is not trusted. */
    List<Withheld> withheld(Path root) {
        List<Withheld> out = new ArrayList<>();
        List<String> sorted = new ArrayList<>(untilTrusted.getOrDefault(root, Set.of()));
        sorted.sort(null);
        sorted.forEach(f -> out.add(new Withheld(Withheld.Kind.LINKS_OUTSIDE, f, List.of(f))));
        new java.util.TreeMap<>(importsUntilTrusted.getOrDefault(root, Map.of())).forEach((by, imports) ->
                out.add(new Withheld(Withheld.Kind.IMPORTS_OUTSIDE, by, imports.stream().sorted().toList())));
        return out;
    }

    /** Forgets what was withheld at {@code root}: it is read again (after a trust change) and says anew. */
    void reset(Path root) {
        untilTrusted.remove(root);
        importsUntilTrusted.remove(root);
    }
}
