package dev.lathe.core.lsp;

import dev.lathe.core.trust.RunPin;
import dev.lathe.core.trust.TrustGate;
import dev.lathe.core.trust.TrustItem;
import dev.lathe.core.trust.Withheld;
import dev.lathe.lsp.BuiltinServers;
import dev.lathe.lsp.LspServerSpec;
import dev.lathe.lsp.LspSettings;
import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's own language server executables as trust items (DESIGN §18 "Trust pins what it approved"): a server
 * found in the project's {@code node_modules/.bin}, or configured as a path inside the project, runs project code, so
 * trust pins the file by content like a hook's script. An item names the executable ({@code node_modules/.bin/X}) and,
 * for a shell shim (pnpm, yarn), the scripts it runs ({@code "$basedir/../x/cli.js"}); the trust gate adds the SHA-256
 * of each one's real file ({@code ReferencedFiles}: a {@code .bin} link to {@code ../x/lib/cli.mjs} pins
 * {@code cli.mjs}). A file changed after trust is not started until approved.
 */
public final class LspPins {
    /** A shell shim's {@code "$basedir/../pkg/bin/x.js"}: the script it hands to node. */
    private static final Pattern BASEDIR = Pattern.compile("\\$basedir/([^\"'\\s]+)");
    private static final int MAX_SHIM = 64 * 1024;

    private LspPins() {}

    /**
     * The items of the project executables the servers of {@code settings} (config's entries merged with the built-in
     * table) resolve to at {@code root}: one per executable, in table order.
     */
    public static List<TrustItem> items(Path root, LspSettings settings, Map<String, String> env) {
        return items(root, settings, env, List.of(root));
    }

    /**
     * As {@link #items(Path, LspSettings, Map)}, for sessions opened in each of {@code folders} (the root and the
     * folders below it with a {@code node_modules}, {@code NestedProjectFolders}): a server of {@code sub} resolves
     * in {@code sub/node_modules/.bin}, pinned relative to {@code root}.
     */
    public static List<TrustItem> items(Path root, LspSettings settings, Map<String, String> env, List<Path> folders) {
        if (!settings.enabled()) return List.of();
        Map<Path, TrustItem> out = new LinkedHashMap<>();
        for (Path folder : folders) {
            for (LspServerSpec spec : ModuleLanguageServers.merged(settings).servers().values()) {
                if (!spec.enabled()) continue;
                BuiltinServers.projectExecutable(spec, folder, env).ifPresent(exe -> item(root, exe).ifPresent(i -> out.putIfAbsent(exe, i)));
            }
        }
        return List.copyOf(out.values());
    }

    /**
     * Asks {@code gate} about each of {@link #items}; answers the hashes it admits (as {@link TrustGate#hashOf}), and
     * names the others in {@code withheld} when the folder is trusted (changed since trust; an untrusted folder's are
     * named by {@link LspModule#withheld}).
     */
    public static Set<String> admitted(Path root, LspSettings settings, Map<String, String> env, TrustGate gate, List<Withheld> withheld) {
        return admitted(root, settings, env, List.of(root), gate, withheld);
    }

    /** As {@link #admitted(Path, LspSettings, Map, TrustGate, List)}, for the servers of each of {@code folders}. */
    public static Set<String> admitted(Path root, LspSettings settings, Map<String, String> env, List<Path> folders, TrustGate gate,
            List<Withheld> withheld) {
        Set<String> approved = new LinkedHashSet<>();
        Map<String, List<String>> refused = new LinkedHashMap<>();
        for (TrustItem item : items(root, settings, env, folders)) {
            if (gate.admit(item)) approved.add(TrustGate.hashOf(root, item));
            else refused.computeIfAbsent(item.source(), _ -> new ArrayList<>()).add(item.name());
        }
        if (gate.reason() == Withheld.Reason.CHANGED_SINCE_TRUST) {
            refused.forEach((source, names) -> withheld.add(new Withheld(Withheld.Kind.LSP_SERVERS, source, names, gate.reason())));
        }
        return approved;
    }

    /**
     * Whether the project executable at {@code exe} may run: its item, as the file is now, is among {@code approved}
     * (the hashes the configuration's gate admitted). Asked again before each start of the server.
     */
    public static Predicate<Path> admits(Path root, Set<String> approved) {
        Set<String> copy = Set.copyOf(approved);
        return exe -> item(root, exe).map(i -> RunPin.approvedNow(root, i, copy)).orElse(false);
    }

    /** {@code exe} (inside {@code root}) as trust pins it; empty when it is outside the project or unreadable. */
    static Optional<TrustItem> item(Path root, Path exe) {
        Path abs = exe.toAbsolutePath().normalize();
        Path base = root.toAbsolutePath().normalize();
        if (!abs.startsWith(base) || !Files.isRegularFile(abs)) return Optional.empty();
        String rel = base.relativize(abs).toString();
        StringBuilder text = new StringBuilder(rel);
        for (String script : shimScripts(base, abs)) text.append(' ').append(script);
        Path folder = base.relativize(abs).getParent();
        return Optional.of(new TrustItem(Withheld.Kind.LSP_SERVERS, folder == null ? "." : folder.toString(), abs.getFileName().toString(),
                text.toString()));
    }

    /** The project files a shell shim at {@code exe} runs through {@code $basedir/…}, relative to {@code root}. */
    private static List<String> shimScripts(Path root, Path exe) {
        List<String> out = new ArrayList<>();
        try {
            Path real = exe.toRealPath();
            Path realRoot = root.toRealPath();
            if (Files.size(real) > MAX_SHIM) return out;
            String text = new String(FileGateway.anywhere().readAllBytes(real), StandardCharsets.ISO_8859_1);
            if (!text.startsWith("#!") || !text.lines().findFirst().orElse("").contains("sh")) return out;
            Matcher m = BASEDIR.matcher(text);
            while (m.find()) {
                Path script = real.getParent().resolve(m.group(1)).normalize();
                if (script.startsWith(realRoot)) out.add(realRoot.relativize(script).toString());
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: the file's own digest is all there is
        }
        return out.stream().distinct().toList();
    }
}
