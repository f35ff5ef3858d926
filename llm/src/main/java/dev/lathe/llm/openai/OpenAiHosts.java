package dev.lathe.llm.openai;

import java.net.URI;

/**
 * Whether a base URL is OpenAI itself (or Azure OpenAI), which take more than the compatible subset: strict tool
 * schemas, {@code prompt_cache_key}, {@code max_completion_tokens}. Compatible servers may reject those fields.
 */
public final class OpenAiHosts {
    private OpenAiHosts() {}

    public static boolean isOpenAi(URI baseUrl) {
        return host(baseUrl).equals("api.openai.com") || isAzure(baseUrl);
    }

    /** Azure takes its resource keys in {@code api-key} rather than as a bearer token. */
    public static boolean isAzure(URI baseUrl) {
        String host = host(baseUrl);
        return host.endsWith(".openai.azure.com") || host.endsWith(".cognitiveservices.azure.com");
    }

    /**
     * The Codex backend that serves ChatGPT Plus/Pro sign-ins ({@code https://chatgpt.com/backend-api/codex}), by its
     * path, so a stand-in on loopback (tests, a proxy) is spoken to the same way.
     */
    public static boolean isChatGptBackend(URI baseUrl) {
        String path = baseUrl.getPath() == null ? "" : baseUrl.getPath();
        if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        return path.endsWith("/backend-api/codex") || host(baseUrl).equals("chatgpt.com") && path.startsWith("/backend-api");
    }

    private static String host(URI baseUrl) {
        return baseUrl.getHost() == null ? "" : baseUrl.getHost();
    }
}
