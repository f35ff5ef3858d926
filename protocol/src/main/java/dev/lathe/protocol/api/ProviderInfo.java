package dev.lathe.protocol.api;

/**
 * A provider as clients may see it: never its key, only whether one is available ({@code keySource}: {@code env},
 * {@code auth}, {@code config}, {@code none}, or {@code not-needed} for local servers).
 */
public record ProviderInfo(String id, String name, String protocol, String baseUrl, String keySource, int models) {}
