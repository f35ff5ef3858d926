package dev.lathe.protocol.api;

/**
 * Body of {@code PUT /trust}: the user's answer for the folder; {@code true} trusts it (its definitions apply from the
 * next prompt), {@code false} keeps it untrusted and records that it was asked. {@code lathe trust --revoke} is the way
 * back to "never asked".
 */
public record TrustRequest(Boolean trusted) {}
