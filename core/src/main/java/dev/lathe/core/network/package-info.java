/**
 * Local-only mode ({@code "network": "local"}, {@code lathe run --local-only}; decision 120): which outbound connections
 * Lathe itself may make, decided before any socket is opened. {@link dev.lathe.core.network.NetworkPolicy} is the pure
 * decision for one configuration (loopback always; a provider whose {@code baseUrl} the user's config writes; nothing
 * else), {@link dev.lathe.core.network.OutboundGate} the policy of one project instance, consulted by every outbound
 * path (model requests, a subscription's sign-in and token renewal, {@code webfetch}, remote MCP servers and their OAuth, HTTP hooks,
 * the catalog refresh), and
 * {@link dev.lathe.core.network.BlockedConnections} the server-wide record of what was refused, each attempt once,
 * which clients hear as {@code network.blocked} and {@code lathe doctor} reads from its file. {@link
 * dev.lathe.core.network.OutboundPermissions} puts the gate in front of a tool call's permissions. Imports core.config
 * (the mode), tools (the permissions port) and protocol's JSON mapping, nothing else in core.
 */
package dev.lathe.core.network;
