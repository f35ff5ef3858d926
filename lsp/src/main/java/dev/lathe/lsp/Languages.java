package dev.lathe.lsp;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The LSP language identifier of a file ({@code TextDocumentItem.languageId}), from its extension. */
final class Languages {
    private Languages() {}

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("py", "python"), Map.entry("pyi", "python"),
            Map.entry("ts", "typescript"), Map.entry("mts", "typescript"), Map.entry("cts", "typescript"),
            Map.entry("tsx", "typescriptreact"), Map.entry("jsx", "javascriptreact"),
            Map.entry("js", "javascript"), Map.entry("mjs", "javascript"), Map.entry("cjs", "javascript"),
            Map.entry("go", "go"), Map.entry("rs", "rust"), Map.entry("java", "java"),
            Map.entry("c", "c"), Map.entry("h", "c"),
            Map.entry("cc", "cpp"), Map.entry("cpp", "cpp"), Map.entry("cxx", "cpp"), Map.entry("c++", "cpp"),
            Map.entry("hh", "cpp"), Map.entry("hpp", "cpp"), Map.entry("hxx", "cpp"), Map.entry("h++", "cpp"),
            Map.entry("m", "objective-c"), Map.entry("mm", "objective-cpp"),
            Map.entry("sh", "shellscript"), Map.entry("bash", "shellscript"), Map.entry("yaml", "yaml"), Map.entry("yml", "yaml"),
            Map.entry("lua", "lua"), Map.entry("zig", "zig"), Map.entry("rb", "ruby"));

    /** The language of {@code file}; its extension itself for one not listed (a configured server knows its own). */
    static String of(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return BY_EXTENSION.getOrDefault(ext, ext);
    }
}
