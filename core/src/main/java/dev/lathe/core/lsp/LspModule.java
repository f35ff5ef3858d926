package dev.lathe.core.lsp;

import dev.lathe.core.trust.Withheld;
import dev.lathe.lsp.LspSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the core finds the {@code lsp} module's servers: {@link #FACTORY} is the one line that names the module's
 * classes (through an adapter), so the server, {@code lathe doctor} and {@code GET /trust} all see the same table.
 */
public final class LspModule {
    private LspModule() {}

    /** The {@code lsp} module's servers as the core uses them. */
    public static final LanguageServers.Factory FACTORY = new ModuleLanguageServers();

    /** Where a project's own servers are found; what an untrusted folder's warning names as their source. */
    public static final String PROJECT_BIN = "node_modules/.bin";

    /**
     * The built-in servers an untrusted folder would run from its own {@code node_modules/.bin}, as one withheld kind
     * (DESIGN §14: one warning per kind); nothing when {@code lsp} is off or none is there.
     */
    public static List<Withheld> withheld(Path root, LspSettings settings, Map<String, String> env) {
        if (!settings.enabled()) return List.of();
        List<String> names = FACTORY.projectLocal(root, settings, env);
        return names.isEmpty() ? List.of() : List.of(new Withheld(Withheld.Kind.LSP_SERVERS, PROJECT_BIN, names));
    }
}
