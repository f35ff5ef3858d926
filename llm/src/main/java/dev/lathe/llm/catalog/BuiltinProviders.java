package dev.lathe.llm.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Local model servers usable by id without configuration and without a key ({@code --model ollama/qwen3-coder}):
 * any model name is accepted, with the default limits. The catalog wins when it lists one of them.
 */
final class BuiltinProviders {
    private BuiltinProviders() {}

    static List<CatalogProvider> all() {
        return List.of(
                local("ollama", "Ollama", "http://127.0.0.1:11434/v1"),
                local("lmstudio", "LM Studio", "http://127.0.0.1:1234/v1"),
                local("llama.cpp", "llama.cpp server", "http://127.0.0.1:8080/v1"));
    }

    private static CatalogProvider local(String id, String name, String url) {
        return new CatalogProvider(id, name, "@ai-sdk/openai-compatible", Optional.of(url), List.of(), Map.of());
    }
}
